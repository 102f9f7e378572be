@monitoring
Feature: Monitoring et maintenance
  The guide's monitoring ConfigMap, CronJob and PrometheusRule, run against the live pair with real tools:
  the queries on the master, the CronJob run once as a Job (on a cluster, a Job made from its template), promtool on the rules, and Debian's
  prometheus-postgres-exporter scraping the master and the replica.

  @guide-monitoring-queries @erratum-E04
  Scenario: The four monitoring queries run on the master
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    When the queries of the ConfigMap "postgresql-monitoring-queries" run on the master
    Then "replication-status.sql" shows the replica streaming with lag_mb below 10
    And "replication-slots.sql" shows the slot "replication_slot_slave" active, with the WAL it retains
    And "database-size.sql" lists the database "postgres" with its size
    And "connection-count.sql" counts at least 1 connection

  @guide-monitoring-queries @erratum-E33
  Scenario: The queries' « Utilisation » as its reader types it — psql reads replication-status.sql in the master's pod
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the ConfigMap "postgresql-monitoring-queries" is mounted by no container of the manifests under test
    When its « Utilisation » line runs as written in a shell, MASTER_POD set by the guide's own line
    Then what it printed shows the replica streaming

  @guide-monitoring-cronjob @erratum-E06
  Scenario: The CronJob's prerequisites are in the manifests
    Then the ServiceAccount and the rights the CronJob "postgresql-replication-check" needs are in the manifests

  @cluster @guide-monitoring-cronjob @erratum-E06
  Scenario: On the cluster, the CronJob's Job runs under the identity its template names
    Then the cluster admits the Job of the CronJob "postgresql-replication-check", made from its template, and runs it to a verdict

  @cluster @guide-monitoring-cronjob @erratum-E30
  Scenario: A tenant holding the edit role the guide asks can give the CronJob its ServiceAccount and rights
    Given the run's credentials hold the edit role in their namespace, and not admin's
    Then the CronJob's ServiceAccount, a Role with what its commands need and the RoleBinding are admitted for those credentials

  @guide-monitoring-cronjob @erratum-E05
  Scenario: The CronJob's verdict follows the state of the replication
    Given a disposable pair deployed from the manifests under test
    When the CronJob "postgresql-replication-check" runs once as a Job
    Then its verdict is "OK: Replication healthy"
    When replay is paused on the replica "postgresql-slave" with pg_wal_replay_pause()
    And the master's WAL advances by 120 MB
    And the CronJob "postgresql-replication-check" runs once as a Job
    Then its verdict is "WARNING: Lag > 100MB"
    When replay is resumed on the replica "postgresql-slave" and it catches up within 30 seconds
    And the CronJob "postgresql-replication-check" runs once as a Job
    Then its verdict is "OK: Replication healthy"
    When the replica pod "postgresql-slave" is deleted
    And the CronJob "postgresql-replication-check" runs once as a Job
    Then its verdict is "ERROR: No replication connection"

  @guide-monitoring-cronjob @erratum-E05 @lag-minute
  Scenario: The CronJob's « Lag > 60 seconds » — with replay stuck while an application writes, its verdict turns once the replica's replay_lag passes 60 seconds
    Given a disposable pair deployed from the manifests under test
    When replay is paused on the replica "postgresql-slave" with pg_wal_replay_pause()
    And an application writes a row a second on the master until the master shows the replica's replay_lag above 60 seconds, rounded to whole seconds as the CronJob's query rounds it
    And the CronJob "postgresql-replication-check" runs once as a Job
    Then its verdict is "WARNING: Lag > 60 seconds"
    When replay is resumed on the replica "postgresql-slave" and it catches up within 30 seconds
    And the CronJob "postgresql-replication-check" runs once as a Job
    Then its verdict is "OK: Replication healthy"

  @guide-monitoring-alerts
  Scenario: The PrometheusRule's groups pass promtool check rules
    Then promtool accepts the rules of the PrometheusRule "postgresql-replication-alerts"

  @guide-monitoring-alerts
  Scenario: Each alert fires after its "for" and clears, in promtool's rule unit tests
    Then promtool's unit tests "monitoring/promtool/postgresql-replication-alerts.test.yaml" pass on the rules

  @guide-monitoring-alerts @erratum-E07
  Scenario: Every metric the alerts use is exported from the live pair
    Given a disposable pair deployed from the manifests under test
    When prometheus-postgres-exporter scrapes the master and the replica
    Then every metric the alerts of "postgresql-replication-alerts" use is exported
    And on the master "pg_replication_connected" is 1 and "pg_replication_slot_active" is 1
    When the replica pod "postgresql-slave" is deleted
    Then within 5 seconds the master's "pg_replication_connected" is 0 and "pg_replication_slot_active" is 0

  @guide-monitoring-alerts @negative
  Scenario: promtool's checks fail on broken rules
    Then promtool rejects the rules with "> 30" changed to "> > 30"
    And promtool's unit tests "monitoring/promtool/postgresql-replication-alerts.test.yaml" fail on the rules with "> 30" changed to "> 300"
