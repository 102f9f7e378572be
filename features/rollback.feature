@rollback
Feature: Procédure de rollback
  Both rollbacks of the guide, in its order, on pairs of their own, with what an operator needs to know:
  writes keep working, no row is lost, and what is left behind.

  @guide-rollback-slave
  Scenario: Rollback du Slave — the master keeps accepting writes, loses nothing, and releases the WAL
    Given a disposable pair deployed from the manifests under test
    And an application writes a row on the master every 10 ms
    When the replica is rolled back as the guide says: deployment, service, PVC, then the slot
    Then no write of the application failed during the rollback and every row it wrote is on the master
    And the existing data is unchanged
    And the slot "replication_slot_slave" is gone and the WAL it retained is released at the next checkpoint

  @guide-rollback-slave
  Scenario: Rollback du Slave as its reader types it — its block leaves no replica and no slot
    Given a disposable pair deployed from the manifests under test
    When the replica's Deployment "postgresql-slave" stands in the pair's project, oc get naming it and its one pod: on a cluster run by the cluster's own controller in place of the harness's pod, elsewhere the harness's pod of its template standing for it
    And the guide's « Rollback du Slave » block runs as written in the pair's project, MASTER_POD set by its own line
    Then each of its commands exited 0
    And oc get lists no Deployment, Service, claim or pod of the replica, and the master has no slot "replication_slot_slave"

  @guide-rollback-slave @negative
  Scenario: Dropping the slot while the replica still streams is refused
    Given a disposable pair deployed from the manifests under test
    Then the guide's slot drop fails with SQLSTATE 55006 while the replica "postgresql-slave" is streaming

  @guide-rollback-master @erratum-E10
  Scenario: Rollback du Master — the original configuration and all the data come back
    Given a disposable pair deployed from the manifests under test
    When the master is rolled back to the DeploymentConfig saved in Étape 1.1
    Then the master runs with exactly the settings it had before the guide
    And the existing data is unchanged
    And the ConfigMaps the guide created are reported as no longer used
    And the replication slot and the role are gone once the slave is rolled back too

  @cluster @guide-1.1 @guide-1.5 @guide-rollback-master @erratum-E36
  Scenario: Étape 1.1 and « Rollback du Master » as their reader types them, on the master's DeploymentConfig — the saved config is refused as written, and restores the master once put back under the config's current resourceVersion
    Given a master "postgresql" that already holds data, as before the guide, run by its DeploymentConfig on the cluster
    When Étape 1.1's block runs as written in a shell, POD_NAME set by the reconnaissance's own line, its files kept for the rollback
    Then each of its oc get lines exited 0 and saved what its file's name says: the DeploymentConfig "postgresql", the Service "postgresql", the master's claim, the project's ConfigMaps and its Secrets, "postgresql" among them
    And its backup-database.sql is a whole pg_dumpall holding every row of the master's table existing_orders
    When Phase 1 runs as its reader types it: Étapes 1.2 to 1.4's oc apply -f lines, Étape 1.5's oc get of the config, the reader's edit of the saved file, and Étape 1.5's second block, its watch ended once a pod of the config's new version is Ready or has failed
    Then the master is the pod of the config's latest version, no longer its pod of before the guide
    When « Rollback du Master » runs as written in a shell, among Étape 1.1's files
    Then as written its oc apply was refused as a Conflict, while its oc rollout status said the config's current version successfully rolled out, and the config kept its version
    And applied without its resourceVersion, the saved config is refused too, a DeploymentConfig taking no update without one
    And the corrected block rolled the saved DeploymentConfig out as a new version
    And the master runs with exactly the settings it had before the guide
    And the existing data is unchanged

  @guide-rollback-master @negative
  Scenario: The settings check fails on a master that was not rolled back
    Given a disposable pair deployed from the manifests under test
    Then the check that the master runs with its settings from before the guide fails, naming "wal_keep_size"

  @guide-rollback-slave @negative
  Scenario: The no-failed-write check fails when the master goes away under the application
    Given a disposable pair deployed from the manifests under test
    And an application writes a row on the master every 10 ms
    When the master pod "postgresql" is stopped
    And the master pod "postgresql" is started again
    Then the check that no write of the application failed fails, naming the SQLSTATE of the lost writes
