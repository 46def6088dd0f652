"""Screens and modal dialogs, one module per feature. Imported when first needed."""
