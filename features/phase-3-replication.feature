@phase-3
Feature: Phase 3 — Configuration de la réplication
  Étapes 3.1 to 3.3 run the guide's queries verbatim on the master and check its "Résultat attendu".

  Background:
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"

  @guide-3.1
  Scenario: Étape 3.1 — the replica streams asynchronously, with no lag once caught up
    Then the guide's query of Étape 3.1 on the master shows one replica streaming, async, as "replicator"
    And once the replica has caught up, sent_lsn equals replay_lsn

  @guide-3.2
  Scenario: Étape 3.2 — the slot replication_slot_slave is in use
    Then the guide's query of Étape 3.2 on the master shows the slot "replication_slot_slave" active

  @guide-3.3 @erratum-E03
  Scenario: Étape 3.3 — the lag is below 10 MB and 5 seconds
    Then the guide's query of Étape 3.3 on the master shows a lag below 10 MB and 5 seconds
    And the lag in bytes and seconds is recorded
