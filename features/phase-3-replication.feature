@phase-3
Feature: Phase 3 — Configuration de la réplication
  Étapes 3.1 to 3.3 run the guide's queries verbatim on the master and check its "Résultat attendu".

  Background:
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"

  @guide-3.1
  Scenario: Étape 3.1 — the replica streams asynchronously, with no lag once caught up
    Then the guide's query of Étape 3.1 on the master shows one replica streaming, async, as "replicator"
    And once the replica has caught up, sent_lsn equals replay_lsn

  @guide-3.1
  Scenario: Étape 3.1 as its reader types it — MASTER_POD set by its own line, its oc exec prints the replica streaming, async, as replicator
    When Étape 3.1's block runs as written in a shell, MASTER_POD set by its own line
    Then it printed one row: usename "replicator", application_name "walreceiver", state "streaming" and sync_state "async"

  @guide-3.2
  Scenario: Étape 3.2 — the slot replication_slot_slave is in use
    Then the guide's query of Étape 3.2 on the master shows the slot "replication_slot_slave" active

  @guide-3.2
  Scenario: Étape 3.2 as its reader types it — its oc exec prints the slot replication_slot_slave, physical, active
    When Étape 3.2's block runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1
    Then it printed a row with slot_name "replication_slot_slave", slot_type "physical" and active "t"

  @guide-3.3 @erratum-E03
  Scenario: Étape 3.3 — the lag is below 10 MB and 5 seconds
    Then the guide's query of Étape 3.3 on the master shows a lag below 10 MB and 5 seconds
    And the lag in bytes and seconds is recorded

  @guide-3.3 @erratum-E03
  Scenario: Étape 3.3 as its reader types it — psql refuses its query, pg_stat_replication having no column replay_time, and the block exits 1
    When Étape 3.3's block runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1
    Then it exited 1 and printed no table, only psql's error 'column "replay_time" does not exist'
    And that error is the one erratum E03 records for Étape 3.3
