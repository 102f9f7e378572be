@negative
Feature: Every key check can fail
  A check that cannot fail is a defect. Each scenario breaks a pair of its own on purpose and runs the very
  check the guide's scenarios use, which must then fail, saying why.

  @guide-4.2
  Scenario: The read-only check fails on a replica that has been promoted
    Given a disposable pair deployed from the manifests under test
    And the guide's Test 1 has passed on it
    When the replica "postgresql-slave" is promoted with pg_promote()
    Then the Test 2 check fails because the INSERT on the replica succeeds

  @guide-3.1
  Scenario: The streaming check fails when the replica's pod is gone
    Given a disposable pair deployed from the manifests under test
    When the replica pod "postgresql-slave" is deleted
    Then the Étape 3.1 check fails because no replica is connected
    And the Étape 3.2 check fails because the slot is not active

  @guide-4.1
  Scenario: The replication check fails when the replica stops replaying, and shows what it last saw
    Given a disposable pair deployed from the manifests under test
    When replay is paused on the replica "postgresql-slave" with pg_wal_replay_pause()
    Then the Test 1 check fails within 1 second, showing pg_stat_replication and the replica's log

  @guide-4.3
  Scenario: The Test 3 budget fails when the replica falls behind
    Given a disposable pair deployed from the manifests under test
    And the guide's Test 1 has passed on it
    When replay is paused on the replica "postgresql-slave" with pg_wal_replay_pause()
    Then the Test 3 check with a budget of 1000 ms fails, showing what it last saw

  @guide-1.3
  Scenario: The WAL archiving check fails when the master's archive_command fails
    Given a disposable pair deployed from the manifests under test
    When the master "postgresql" restarts with archive_mode on and an archive_command that fails
    Then the WAL archiving check fails because the archiver reports a failure

  @guide-2.3 @replica-probes
  Scenario: The check of a replica receiving no WAL fails on a pair whose replication is intact
    Given a disposable pair deployed from the manifests under test
    Then the check that for 3 seconds the replica receives no WAL through the Service "postgresql-slave" fails, showing what it last saw

  @guide-rollback-slave
  Scenario: The check of « Rollback du Slave » as typed fails when its block leaves the replica's claim
    Given a disposable pair deployed from the manifests under test
    When the replica's Deployment "postgresql-slave" stands in the pair's project, oc get naming it and its one pod: on a cluster run by the cluster's own controller in place of the harness's pod, elsewhere the harness's pod of its template standing for it
    And the guide's « Rollback du Slave » block runs in the pair's project without its oc delete pvc line, MASTER_POD set by its own line
    Then the check that oc get lists nothing of the replica fails, naming its claim "postgresql-slave"

  @cluster @guide-1.3
  Scenario: The check of Étapes 1.2 to 2.4's oc apply -f fails when an object on the cluster is not what its file writes
    Given a master "postgresql" that already holds data, as before the guide
    When the oc apply -f lines of Étapes 1.2, 1.3, 1.4, 2.1, 2.2 and 2.4 run as written in a directory of the pair's manifests files
    And the ConfigMap "postgresql-master-config" on the cluster gets a key its file does not write
    Then the check of what Étape 1.3's oc apply -f made then says that ConfigMap's data differs from its file's

  @cluster @guide-4.4
  Scenario: Test 4's check, typed at a terminal, fails when the replica's Service leads to a writable server
    Given a disposable pair deployed from the manifests under test
    When the replica "postgresql-slave" is promoted with pg_promote()
    And Test 4's blocks run as written at a terminal, the superuser's password typed at psql's prompt
    Then the check of Test 4 as typed fails because psql through the Service "postgresql-slave" reached a writable server
