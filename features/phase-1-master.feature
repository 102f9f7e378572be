@phase-1
Feature: Phase 1 — Préparation du Master existant
  The guide changes a master that already holds data: a replication Secret (1.2), master.conf and
  pg_hba.conf (1.3), an init script creating the role `replicator` and the slot `replication_slot_slave`
  (1.4), and a restart with new volumes, env and args (1.5); Étape 1.6 then checks the result.

  Background:
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"

  @guide-1.1
  Scenario: Étape 1.1 — the database is backed up with pg_dumpall before any change
    Then the pg_dumpall backup of the master "postgresql" was taken and is not empty

  @guide-reconnaissance
  Scenario: The reconnaissance's version check as its reader types it — POD_NAME names the master's pod, whose psql is of its server's major
    Given a master "postgresql" that already holds data, as before the guide
    When the reconnaissance's version check runs as written in a shell
    Then its POD_NAME named the pod of the master "postgresql", whose psql is of the major version its server runs

  @guide-1.1 @guide-reconnaissance
  Scenario: Étape 1.1 as its reader types it, POD_NAME set by the reconnaissance's own line — pg_dumpall through oc exec writes a whole backup of the master's data
    Given a master "postgresql" that already holds data, as before the guide
    When Étape 1.1's database backup runs as written in a shell, POD_NAME set by the reconnaissance's own line
    Then it exited 0 and wrote backup-database.sql, a whole pg_dumpall holding every row of the master's table existing_orders

  @guide-1.3
  Scenario: Étape 1.3 — WAL archiving, « optionnel mais recommandé », runs as master.conf sets it, and archives when on
    Then the master "postgresql" runs with the archive_mode its master.conf sets
    And when that archive_mode is on, the WAL segment the master "postgresql" leaves at a switch is archived without failure

  @guide-1.5 @master-official-image
  Scenario: Étape 1.5 — the master restarts on master.conf and pg_hba.conf from its ConfigMap, its data intact
    Then the master "postgresql" runs with "config_file" set to its mounted "/etc/postgresql/master.conf"
    And the master "postgresql" runs with "hba_file" set to its mounted "/etc/postgresql/pg_hba.conf"
    And the master "postgresql" still holds all its existing data

  @cluster @guide-1.2 @guide-1.3 @guide-1.4 @guide-1.5
  Scenario: Étapes 1.2 to 1.5 as their reader types them, on the master's DeploymentConfig — the saved config, edited with the four modifications and applied, restarts the master on them, its data intact
    Given a master "postgresql" that already holds data, as before the guide, run by its DeploymentConfig on the cluster
    When Phase 1 runs as its reader types it: Étapes 1.2 to 1.4's oc apply -f lines, Étape 1.5's oc get of the config, the reader's edit of the saved file, and Étape 1.5's second block, its watch ended once a pod of the config's new version is Ready or has failed
    Then Étapes 1.2 to 1.4's lines each exited 0 saying their objects were created, and the cluster holds the Secret and the two ConfigMaps as their files write them, pg_hba.conf's network set to this cluster's as the guide tells its reader
    And Étape 1.5's oc get line exited 0 and saved the DeploymentConfig "postgresql" alone
    And its dry run exited 0 saying "postgresql" would be configured, and its oc apply exited 0 saying it was: the config's version went up by one, its template holding the four modifications
    And its watch saw a pod of that version Running and Ready, or, where erratum E26 reproduced, its container fail, and the correction rolled out the version after it
    And the master is the pod of the config's latest version, no longer its pod of before the guide
    And the master "postgresql" runs with "hba_file" set to its mounted "/etc/postgresql/pg_hba.conf"
    And the master "postgresql" still holds all its existing data
    When Étape 1.6's query 1 ran on the master "postgresql" after Phase 1
    Then it returned one row: the role "replicator" with rolreplication "t"

  @guide-1.6 @erratum-E02 @erratum-E27
  Scenario: Étape 1.6, vérification 1 — the replication user exists
    When Étape 1.6's query 1 ran on the master "postgresql" after Phase 1
    Then it returned one row: the role "replicator" with rolreplication "t"

  @guide-1.5 @erratum-E26 @master-openshift-template
  Scenario: Étape 1.5 on the template's master — it restarts with master.conf and pg_hba.conf from its ConfigMap, its data intact
    Then the master "postgresql" runs with the archive_mode its master.conf sets
    And the master "postgresql" runs with "hba_file" set to its mounted "/etc/postgresql/pg_hba.conf"
    And the master "postgresql" still holds all its existing data

  @guide-1.6
  Scenario: Étape 1.6, vérification 2 — the replication slot exists and is not in use yet
    When Étape 1.6's query 2 ran on the master "postgresql" after Phase 1
    Then it returned a row with slot_name "replication_slot_slave", slot_type "physical" and active "f"

  @guide-1.6
  Scenario: Étape 1.6, vérification 3 — the WAL parameters
    When Étape 1.6's query 3 ran on the master "postgresql" after Phase 1
    Then its results were "replica", "10", "1GB"

  @guide-1.6 @erratum-E35
  Scenario: Étape 1.6 as its reader types it — oc wait returns on the ready master, POD_NAME names its pod, and its three checks print the role, the unused slot and the WAL parameters
    Given a master "postgresql" of its own, holding data, to which Phase 1 has been applied, with no replica yet
    When Étape 1.6's blocks run as written in a shell, POD_NAME set by the guide's own line
    Then its oc wait said condition met for the pod of the master "postgresql" alone, which was running and answering
    And its POD_NAME named the pod of the master "postgresql"
    And its first check printed one row: the role "replicator" with rolreplication "t"
    And its second check printed a row with slot_name "replication_slot_slave", slot_type "physical" and active "f"
    And its third check printed "replica", "10", "1GB"
    And as written its third check printed all three where the pod's psql is of PostgreSQL 15 or later, only the last before, where the corrected line printed them

  @guide-1.5 @erratum-E01 @master-official-image
  Scenario: On an existing master the image never runs init-master.sh
    Given a master "postgresql" that already holds data, as before the guide
    When only Étape 1.5 is applied to it, as published
    Then the master's log says the image skipped its initialisation
    And Étape 1.6's query 1 on the master "postgresql" returns no row

  @guide-1.5 @master-openshift-template @master-restart
  Scenario: Étape 1.5's « redémarrage du pod » on the template's master — an application's open session holds its smart shutdown until the pod's grace period ends and the server is killed; with none, it shuts down
    Given a master "postgresql" that already holds data, as before the guide
    When an application holds a session open on the master while its pod is stopped and started again, as a rollout does
    Then the master's server got a smart shutdown request, and its pod stopped only when its grace period of 30 seconds ended
    And the server never shut down: the next one recovered from a crash
    And the master "postgresql" still holds all its existing data
    When the master's pod is stopped and started again with no session open
    Then the master's server got a smart shutdown request, and ended before its pod's grace period of 30 seconds did
    And the server shut down, and the next one started without recovery

  @guide-1.5 @erratum-E29 @master-openshift-template
  Scenario: Étape 1.5 on the template's master — the superuser does not take the application user's password
    Given a disposable pair deployed from the manifests under test
    Then the master's superuser does not log in with the application user's password
