@troubleshooting
Feature: Troubleshooting
  Each problem of the guide's troubleshooting section, caused on purpose on a pair of its own, diagnosed
  with the guide's own commands, and solved with the guide's own remedy.

  @guide-troubleshooting-slave-start
  Scenario: Le slave ne démarre pas — master unreachable: the init container waits, and says so
    Given a disposable pair deployed from the manifests under test
    When the master pod "postgresql" is stopped
    And the replica is recreated from scratch, its init container given 6 seconds
    Then the init container is still waiting after 6 seconds, its output saying "Master non disponible"
    When the master pod "postgresql" is started again
    And the replica is recreated from scratch, its init container given 30 seconds
    Then the init container completes and the replica streams again within 30 seconds

  @off-cluster @guide-troubleshooting-slave-start @erratum-E17
  Scenario: Le slave ne démarre pas — its diagnostic and « Permissions secret », typed on the replica's pod off a cluster, tell how it started
    On a cluster the same lines run on the Deployment controller's pod, in « Étapes 2.3 and 2.5 » of
    features/deployment-controller.feature. Here the harness's pod stands for it, after its init container.
    Given a disposable pair deployed from the manifests under test
    When the diagnostic of « Le slave ne démarre pas » and its « Permissions secret » check run as written, SLAVE_POD set by the guide's own line of Étape 2.5
    Then its oc logs of the init container "setup-slave" shows pg_basebackup's copy completed
    And its oc logs of the container "postgresql" shows the server streaming from the master
    And its oc describe pod shows the init container Completed with exit code 0, and the pod Running and Ready
    And its oc get secret printed the Secret "postgresql-replication" with every key the replica's containers read from it

  @guide-troubleshooting-slave-start
  Scenario: Le slave ne démarre pas — a wrong replication password fails clearly
    Given a disposable pair deployed from the manifests under test
    When the replica is recreated from scratch with a wrong password in the Secret "postgresql-replication"
    Then the init container fails and the master refuses the replication login with SQLSTATE 28P01
    When the replica is recreated from scratch with the Secret as deployed
    Then the replica streams again within 30 seconds

  @guide-troubleshooting-slave-start @erratum-E08
  Scenario: Le slave ne démarre pas — slot missing, then recreated from scratch
    Given a disposable pair deployed from the manifests under test
    When the replica pod "postgresql-slave" is deleted
    And the slot "replication_slot_slave" is dropped on the master
    Then the guide's diagnostic query on the master shows no slot "replication_slot_slave"
    When the guide's check « Slot de réplication inexistant » runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1
    Then it printed a table with a column slot_name and no row
    When the replica is recreated from scratch as the guide says
    Then the replica streams again within 30 seconds and holds all the master's data

  @guide-troubleshooting-lag
  Scenario: Lag de réplication élevé — the guide's lag query sees the lag, then sees it clear
    Given a disposable pair deployed from the manifests under test
    When replay is paused on the replica "postgresql-slave" with pg_wal_replay_pause()
    And the master's WAL advances by 120 MB
    Then the guide's lag query of Étape 3.3 shows lag_mb above 100
    When replay is resumed on the replica "postgresql-slave" and it catches up within 30 seconds
    Then within 15 seconds the guide's query of Étape 3.3 on the master shows a lag below 10 MB and 5 seconds

  @guide-troubleshooting-lag @erratum-E34
  Scenario: Lag de réplication élevé — the network and disk checks as their reader types them, from the pods
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    When the guide's network and disk checks of a high lag run as written, MASTER_POD and SLAVE_POD set by the guide's own lines
    Then what they printed shows the replica's write_lag, flush_lag and replay_lag on the master

  @guide-troubleshooting-slot-disk @erratum-E09
  Scenario: Slot de réplication sature le disque — the retained WAL grows, then the guide's remedy frees it
    Given a disposable pair deployed from the manifests under test
    And the master's max_slot_wal_keep_size is recorded
    When the replica pod "postgresql-slave" is deleted
    And the master's WAL advances by 1200 MB
    Then the guide's diagnostic query shows the inactive slot retaining at least 1200 MB, beyond wal_keep_size
    When the guide's diagnostic of « Slot de réplication sature le disque » runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1
    Then it printed a row with slot_name "replication_slot_slave", active "f" and a retained_wal of at least 1200 MB
    When the guide's remedy runs as written in a shell, MASTER_POD set by the guide's own line of Étape 3.1, and the master checkpoints
    Then it exited 0 and printed pg_drop_replication_slot's one empty row, and the master has no slot "replication_slot_slave"
    And no WAL older than wal_keep_size is left in the master's pg_wal

  # wal_keep_size = 1GB (master.conf) keeps 1 GB whatever the cap, so the cap acts beyond 1 GB of WAL.
  @guide-troubleshooting-slot-disk
  Scenario: Slot de réplication sature le disque — max_slot_wal_keep_size caps what a lost slot retains
    Given a disposable pair deployed from the manifests under test
    And the master's max_slot_wal_keep_size is set to 64MB for this pair
    When the replica pod "postgresql-slave" is deleted
    And the master's WAL advances by 1200 MB
    And the master checkpoints
    Then the slot "replication_slot_slave" has wal_status "lost" and the master still accepts writes
