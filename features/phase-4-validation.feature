@phase-4
Feature: Phase 4 — Tests et validation
  The guide's four tests, with its SQL run verbatim and its promises measured.

  Background:
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"

  @guide-4.1
  Scenario: Test 1 — rows written on the master are on the replica after 5 seconds at most
    When the guide's Test 1 writes its rows on the master "postgresql"
    Then the replica "postgresql-slave" shows the same rows within 5 seconds

  @guide-4.1 @erratum-E31
  Scenario: Test 1 as its reader types it — the heredoc's rows are on the master, and the replica's oc exec prints them
    When Test 1's blocks run as written in a shell, MASTER_POD and SLAVE_POD set by the guide's own lines
    Then its heredoc wrote 3 rows on the master
    And the replica's oc exec printed the rows "Test 1", "Test 2" and "Test 3"

  @guide-4.2
  Scenario: Test 2 — an INSERT on the replica is refused as a read-only transaction
    Given the table of Test 1 exists on the master "postgresql" and the replica
    When the guide's Test 2 INSERT runs on the replica "postgresql-slave"
    Then it is refused with SQLSTATE "25006"

  @guide-4.2
  Scenario: Test 2 as its reader types it — the replica's oc exec refuses the INSERT, and writes nothing
    Given the table of Test 1 exists on the master "postgresql" and the replica
    When Test 2's block runs as written in a shell, SLAVE_POD set by the guide's own line
    Then its oc exec exited 1, printing "cannot execute INSERT in a read-only transaction", and the replica's table has as many rows as before

  @guide-4.3
  Scenario: Test 3 — 10,000 rows are replicated less than 5 seconds after their commit
    Given the table of Test 1 exists on the master "postgresql" and the replica
    When the guide's Test 3 inserts 10,000 rows on the master "postgresql"
    Then the replica "postgresql-slave" has replayed them within 5 seconds of the commit, and its COUNT(*) matches

  @guide-4.3 @erratum-E31
  Scenario: Test 3 as its reader types it — the heredoc's 10,000 rows reach the replica, whose oc exec counts them
    Given the table of Test 1 exists on the master "postgresql" and the replica
    When Test 3's blocks run as written in a shell, MASTER_POD and SLAVE_POD set by the guide's own lines
    Then its heredoc wrote 10,000 rows on the master
    And the replica's oc exec counted as many rows as the master has

  @guide-4.4
  Scenario: Test 4 — applications connect to the master read-write and to the replica read-only
    Then an application connects through the Service "postgresql" to a writable master
    And an application connects through the Service "postgresql-slave" to a read-only replica

  @cluster @guide-4.4
  Scenario: Test 4 as its reader types it — in oc run's test pod, psql reaches the writable master and the read-only replica
    When Test 4's blocks run as written at a terminal, the superuser's password typed at psql's prompt
    Then psql through the Service "postgresql" reached the writable master, and through "postgresql-slave" a read-only replica
    And the test pod's bash exited 0, and the pod is gone, as --rm has it
