@guide-app-routing @phase-apps
Feature: Configuration des applications pour utiliser le slave — Stratégie de répartition lecture/écriture
  « Diriger les lectures seules vers le slave, les écritures vers le master. » The guide's own examples, run by
  real clients as an application would: DATABASE_URL_WRITE and DATABASE_URL_READ from its `oc set env` block, with
  psql and pgjdbc; its Node.js / TypeORM replication configuration, with the typeorm and pg packages; and pgjdbc's
  multi-host routing, an alternative that needs no second URL. Which server answered is proved by its identity
  (pg_is_in_recovery(), inet_server_addr(), inet_server_port(), pg_postmaster_start_time()), compared with what
  the master's and the replica's pods say when asked directly. The clients run on the host, against the Services'
  endpoints. On a cluster (@cluster), the `oc set env` block itself runs as typed, on a stand-in for the reader's
  application, in whose new pod psql goes through each URL by the Services' names.

  Scenario: psql — a write through DATABASE_URL_WRITE lands on the master, a read through DATABASE_URL_READ is served by the replica
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When psql writes a row through DATABASE_URL_WRITE
    Then the write was answered by the master "postgresql", which holds the row
    When psql reads that row through DATABASE_URL_READ once the replica has replayed it
    Then the read was answered by the replica "postgresql-slave", in recovery, and returned the row

  Scenario: psql — a write through DATABASE_URL_READ is refused with SQLSTATE 25006
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When psql tries to write a row through DATABASE_URL_READ
    Then the write is refused with SQLSTATE "25006"
    And psql exits with status 1, printing "ERROR:  25006: cannot execute INSERT in a read-only transaction"

  Scenario: pgjdbc — the same URLs send a write to the master and a read to the replica, which refuses a write with 25006
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When pgjdbc writes a row through DATABASE_URL_WRITE
    Then the write was answered by the master "postgresql", which holds the row
    When pgjdbc reads that row through DATABASE_URL_READ once the replica has replayed it
    Then the read was answered by the replica "postgresql-slave", in recovery, and returned the row
    When pgjdbc tries to write a row through DATABASE_URL_READ
    Then the write is refused with SQLSTATE "25006"

  Scenario: Node.js — the guide's TypeORM configuration sends writes to the master and reads to the replica
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When the guide's TypeORM configuration runs in Node.js with the typeorm and pg packages, writing 20 rows and reading each back at once
    Then TypeORM took the guide's master "postgresql:5432" and slave "postgresql-slave:5432"
    And every write was answered by the master "postgresql"
    And every read was answered by the replica "postgresql-slave", in recovery
    And every row appeared through the replica within 5 seconds of its write, the guide's promise of Test 3, kept as the replication lag an application sees
    And a write sent to TypeORM's slave query runner is refused with SQLSTATE "25006"

  Scenario: pgjdbc's multi-host URL over both Services finds the master for targetServerType=primary and the replica for preferSecondary
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When pgjdbc connects to the Services "postgresql" and "postgresql-slave" with targetServerType=primary
    Then the connection was answered by the master "postgresql"
    When pgjdbc connects to the Services "postgresql" and "postgresql-slave" with targetServerType=preferSecondary
    Then the connection was answered by the replica "postgresql-slave", in recovery, which pgjdbc's multi-host URL is recommended for

  Scenario: With the replica's pod gone, DATABASE_URL_READ cannot connect while pgjdbc's preferSecondary falls back to the master
    Given a disposable pair deployed from the manifests under test
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When the replica pod "postgresql-slave" is deleted
    Then psql cannot connect through DATABASE_URL_READ: it exits with status 2, printing "Connection refused"
    When pgjdbc connects to the Services "postgresql" and "postgresql-slave" with targetServerType=preferSecondary
    Then the connection was answered by the master "postgresql", where DATABASE_URL_READ could not connect

  @cluster
  Scenario: oc set env as its reader types it — the application's new pod reaches the master through DATABASE_URL_WRITE and the replica through DATABASE_URL_READ
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    And a stand-in for the reader's application runs as the Deployment "mon-application" its oc set env names
    When the guide's oc set env block runs as written, the URLs' password the application role's of this run
    Then it exited 0 saying the Deployment's env was updated, and the application's new pod has DATABASE_URL_WRITE and DATABASE_URL_READ as the line sets them
    And in that pod, psql through DATABASE_URL_WRITE reaches the writable master, and through DATABASE_URL_READ the read-only replica

  @negative @cluster
  Scenario: The check of oc set env's effect fails when its DATABASE_URL_READ names the master's Service
    Given a disposable pair deployed from the manifests under test
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    And a stand-in for the reader's application runs as the Deployment "mon-application" its oc set env names
    When the guide's oc set env block runs with DATABASE_URL_READ changed to name the master's Service "postgresql"
    Then the check that psql through DATABASE_URL_READ in the application's pod reaches the read-only replica fails, saying it reached the writable master

  @negative
  Scenario: The replica check fails when DATABASE_URL_READ names the master's Service
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When psql writes a row through DATABASE_URL_WRITE
    And psql reads that row through DATABASE_URL_READ changed to name the master's Service "postgresql"
    Then the replica check fails, saying the read was answered by the master "postgresql"

  @negative
  Scenario: The replica check fails when the TypeORM configuration's slave names the master's Service
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When the guide's TypeORM configuration runs in Node.js with its slave's host changed to the master's Service "postgresql", writing 2 rows and reading each back at once
    Then the check that every read was answered by the replica "postgresql-slave" fails, saying a read was answered by the master

  @negative
  Scenario: The lag check fails when the replica stops replaying
    Given a disposable pair deployed from the manifests under test
    And the role "user" and the database "dbname" of the guide's URLs exist on the master, with a password of this run
    When replay is paused on the replica "postgresql-slave" with pg_wal_replay_pause()
    And the guide's TypeORM configuration runs in Node.js with the typeorm and pg packages, writing 1 row and reading each back at once
    Then the lag check of 5 seconds fails, saying the row never appeared through the replica
