@defects
Feature: The guide under real inputs — Secret values, failing commands, and what its settings write
  The guide's scripts run with the Secret values a team really uses, its commands are made to fail to see
  whether they say so, and what its configuration writes on a running pair is searched for where it lands.
  Each item runs verbatim first; a defect is a recorded erratum, corrected in manifests/corrected/; what proves
  harmless is an observation of the report.

  @guide-1.4 @erratum-E12
  Scenario: init-master.sh with a replication password holding a single quote
    Given a master "postgresql" that already holds data, as before the guide
    And only Étape 1.5 is applied to it, as published
    When init-master.sh runs in the master pod with a REPLICATION_PASSWORD holding a single quote
    Then the role "replicator" exists with exactly that password, or the script failed and left no role

  @guide-1.4 @erratum-E13
  Scenario: init-master.sh with a replication password that closes its quote
    Given a master "postgresql" that already holds data, as before the guide
    And only Étape 1.5 is applied to it, as published
    When init-master.sh runs in the master pod with a REPLICATION_PASSWORD that closes its quote and adds SUPERUSER
    Then the role "replicator" is not a superuser

  @guide-1.4 @erratum-E14
  Scenario: init-master.sh with an empty replication password
    Given a master "postgresql" that already holds data, as before the guide
    And only Étape 1.5 is applied to it, as published
    When init-master.sh runs in the master pod with an empty REPLICATION_PASSWORD
    Then the role "replicator" has a password, or the script failed and left no role

  @guide-troubleshooting-slave-start @erratum-E15
  Scenario: A wrong superuser password in the init container is not taken for an unavailable master
    Given a disposable pair deployed from the manifests under test
    When the replica is recreated from scratch with a wrong password in the Secret "postgresql", its init container given 20 seconds
    Then its init container completes and the replica streams again within 30 seconds

  @guide-1.4 @guide-2.2 @erratum-E16
  Scenario: The replication password is written in no server log
    Given a master "postgresql" that already holds data, as before the guide
    And only Étape 1.5 is applied to it, as published
    When init-master.sh of the manifests under test runs in the master pod with the Secret's password
    And Phase 2 deploys the replica from it
    Then the replication password is in no server log of the master nor of the replica

  @guide-2.5 @erratum-E17
  Scenario: Étape 2.5 — oc logs shows the replica's server messages
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then the replica's container output, which oc logs shows, holds its server messages

  @guide-1.3 @erratum-E18
  Scenario: The WAL archive outlives a recreation of the master's pod
    Given a disposable pair deployed from the manifests under test
    When the master archives WAL and its pod is recreated, the archive given 30 seconds
    Then the master streams to the replica again within 30 seconds

  @guide-2.2
  Scenario: A replication password holding any printable character goes through setup-slave.sh and pg_basebackup -R
    Given a disposable pair deployed from the manifests under test
    When the replicator's password becomes one holding spaces, quotes, a dollar, a backslash, "@" and ":"
    Then setup-slave.sh completes, pg_basebackup -R writing a primary_conninfo the replica streams with, within 30 seconds

  @guide-1.3
  Scenario: pg_hba.conf's md5 lines and the replicator's password as each major stores it
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then the replicator's password is stored as "SCRAM-SHA-256" from PostgreSQL 14 on, as "md5" before, and the md5 replication line accepts it

  @guide-1.5 @erratum-E19
  Scenario: Étape 1.5 keeps what the existing master's postgresql.conf says, where master.conf is silent
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then every setting of the existing master's postgresql.conf that master.conf does not set has kept its value

  @guide-2.3 @erratum-E20
  Scenario: The replica admits no more clients than the guide's pg_hba.conf does
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then the replica admits no more clients than the guide's pg_hba.conf does

  @guide-4.1
  Scenario: What the guide's psql commands report when their SQL fails
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then psql run as a heredoc exits 0 after an ERROR, and psql -c exits 1

  @guide-1.3
  Scenario: hot_standby = on in master.conf
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then the master runs with hot_standby "on" while it is not in recovery
