@phase-2
Feature: Phase 2 — Déploiement du Slave
  The replica's PVC (2.1), its ConfigMap with slave.conf and setup-slave.sh (2.2), its Deployment whose init
  container runs setup-slave.sh and pg_basebackup (2.3), and its Service (2.4).

  Background:
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"

  @guide-2.3
  Scenario: Étape 2.3 — the init container runs setup-slave.sh to completion without a terminal
    Then the init container "setup-slave" of "postgresql-slave" exited 0
    And its output shows pg_basebackup completing the base backup
    And its output contains no password

  @guide-2.1 @guide-2.3 @erratum-E28
  Scenario: Étape 2.3 on a provisioned volume — the replica's data directory is a subdirectory of its claim
    Given the pair's claims are provisioned volumes, each a filesystem of its own
    Then the replica's claim "postgresql-slave" is a filesystem of its own, its root holding lost+found
    And the replica's PGDATA is a subdirectory of that claim
    And the replica "postgresql-slave" is in recovery

  @guide-2.3 @guide-2.4
  Scenario: Étapes 2.3 and 2.4 — the replica runs in hot standby behind its Service
    Then the replica "postgresql-slave" is in recovery
    And the Service "postgresql-slave" selects the replica's pod

  @guide-2.2 @erratum-E32
  Scenario: A replica that has its data starts while its master is down — its pod recreated during a master outage
    Given a disposable pair deployed from the manifests under test
    When the master's pod is stopped and the replica's pod is recreated on its claim, its init container given 15 seconds
    Then the replica "postgresql-slave" answers read-only queries, in recovery, with the existing data it had
    When the master pod "postgresql" is started again
    Then the replica streams again within 60 seconds

  @guide-2.3 @guide-2.4 @replica-probes
  Scenario: The replica's probes say nothing of its replication — refused by its master, it still passes them
    Given a disposable pair deployed from the manifests under test
    When the master "postgresql" stops admitting the replication role "replicator" and ends its replication connections
    Then for 15 seconds the replica receives no WAL, a row written on the master since stays unread through the Service "postgresql-slave", its readiness and liveness probes exit 0, and where its pod is a cluster's, the pod stays Ready and an endpoint of that Service
