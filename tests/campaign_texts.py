"""Campaign texts shared by tests (a module of its own: `conftest` names clash across folders)."""

from __future__ import annotations

#: A small but complete, valid campaign: 2 sides x 2 actors, 3 tracks, 4 phases with
#: transitions, 8 cards (contest by dice and by facilitator, consensus, covert, a deck),
#: 2 injects, objectives and an end condition. Tests build broken variants from it.
MINIMAL_CAMPAIGN = """\
# yaml-language-server: $schema=../docs/campaign.schema.json
format: 1
id: border-drill
title: Border drill
author: Test cell
briefing: |
  A small two-side drill. Belarus and Russia push migrants at the border to
  raise the threat of escalation; Poland and Lithuania answer together.
learning_objectives:
  - Recognise hybrid pressure before it becomes a military crisis.
  - Agree an allied answer under time pressure.
calendar:
  start: 2021-11-08
  round_days: 7
  rounds: 6
rules:
  plays_per_turn: 1
  attribution_cost: 1
  misattribution:
    tracks: {cohesion: -1}
sides:
  - id: red
    name: Belarus and Russia
    actors:
      - id: belarus
        name: Belarus
        resources: 3
        income: 1
        hand_size: 3
      - id: russia
        name: Russia
        resources: 2
        income: 1
        hand_size: 3
    objectives:
      - id: divide
        title: Divide the allies
        when: cohesion <= 3
  - id: blue
    name: The allies
    actors:
      - id: poland
        name: Poland
        resources: 3
        income: 1
        hand_size: 3
      - id: lithuania
        name: Lithuania
        resources: 2
        income: 1
        hand_size: 3
        deck: [sanctions, sanctions, expose, expose]
    objectives:
      - id: hold
        title: Hold the border without a war
        when: border >= 4 and phase != "conflict"
tracks:
  - id: escalation
    name: Escalation
    start: 2
    favours: red
    thresholds:
      - {at: 6, label: Military tension}
  - id: cohesion
    name: Allied cohesion
    start: 6
    favours: blue
  - id: border
    name: Border integrity
    start: 7
    favours: blue
phases:
  initial: baseline
  states:
    - {id: baseline, name: Baseline}
    - {id: pressure, name: Hybrid pressure}
    - {id: crisis, name: Border crisis}
    - {id: conflict, name: Armed conflict, terminal: true}
  transitions:
    - trigger: push
      source: baseline
      dest: pressure
      when: escalation >= 4
    - trigger: escalate
      source: [baseline, pressure]
      dest: crisis
      when: escalation >= 6 or border <= 3
    - trigger: calm
      source: crisis
      dest: pressure
      when: escalation <= 3 and cohesion >= 5
    - trigger: war
      source: crisis
      dest: conflict
      when: escalation >= 10
cards:
  - id: mass-crossing
    title: Mass crossing
    side: red
    actor: belarus
    cost: 1
    effects:
      tracks: {escalation: 1, border: -1}
    flavour: Buses bring hundreds of people to the wire at night.
  - id: disinformation
    title: Disinformation campaign
    side: red
    actor: russia
    kind: action
    covert:
      attribution:
        target: 8
        modifiers:
          - {add: 1, when: cohesion >= 6, label: Allied intelligence sharing}
      on_attributed:
        tracks: {cohesion: 1}
    effects:
      tracks: {cohesion: -1}
  - id: tourist-flights
    title: Tourist flights from the Middle East
    side: red
    actor: belarus
    cost: 1
    contest:
      by: dice
      dice: 2d6
      target: 8
      modifiers:
        - {add: 1, if_played: mass-crossing, label: Routes already open}
      success:
        tracks: {border: -2}
      failure:
        tracks: {escalation: -1}
  - id: snap-exercise
    title: Snap military exercise
    side: red
    actor: russia
    cost: 2
    phases: [pressure, crisis]
    requires: round >= 2
    effects:
      tracks: {escalation: 2}
      trigger: escalate
  - id: border-fence
    title: Reinforce the border
    side: blue
    actor: poland
    kind: response
    cost: 2
    effects:
      tracks: {border: 2}
  - id: article-4
    title: Request consultations under Article 4
    side: blue
    actor: poland
    kind: response
    phases: [crisis]
    consensus:
      voters: [poland, lithuania]
      prompt: Request Article 4 consultations together?
    effects:
      tracks: {cohesion: 2, escalation: -1}
      trigger: calm
  - id: sanctions
    title: Sanctions on the airline
    side: blue
    kind: response
    cost: 1
    contest:
      by: facilitator
      prompt: Do the sanctions stop the flights?
      success:
        resources_of: {belarus: -1}
      failure:
        tracks: {cohesion: -1}
  - id: expose
    title: Expose the operation
    side: blue
    kind: response
    effects:
      reveal: 1
      discard: {russia: 1}
injects:
  - id: airlift
    title: Airlift from Baghdad
    round: 2
    text: A charter airline adds flights to Minsk.
    effects:
      tracks: {escalation: 1}
  - id: winter
    title: Winter sets in
    when: round >= 4 and border <= 5
    effects:
      tracks: {cohesion: 1}
end:
  - id: border-lost
    title: The border is lost
    when: border <= 0
"""
