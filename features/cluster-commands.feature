Feature: The guide's overview, and its oc commands on a real cluster
  « Vue d'ensemble » draws the Services applications use; « Commandes de reconnaissance » and « Commandes de
  diagnostic » are oc commands that read the cluster. They run here as written, in the pair's namespace; on a cluster
  that is not OpenShift `oc` is kubectl (an adaptation the report lists). The scenarios tagged @cluster need one: on
  the local and containers backends they are skipped, never passed, and the report does not count their sections. The
  one tagged @service-names needs a pod that reaches a Service by its name: on the containers backend a Service is a
  network alias; the local backend's processes have none, and skip it. The untagged ones run on every backend, with
  its own oc off a cluster.

  @guide-overview @erratum-E21
  Scenario: Vue d'ensemble — the drawn Services take applications to the right server
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then the overview's Service Master (RW) takes its connections to a server that writes
    And the overview's Service Slave (RO) takes its connections to a server that only-reads

  @cluster @guide-reconnaissance
  Scenario: Commandes de reconnaissance — each oc get, grepped for postgres, lists what the pair runs
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    When the guide's reconnaissance commands run as written in the pair's project
    Then each of its four listings names every object of its kind the pair runs from the manifests
    And the pod its label selector finds is the master "postgresql", whose psql is of the master's major version

  @cluster @guide-diagnostics @erratum-E22
  Scenario: Commandes de diagnostic — logs, events, descriptions and the state of the resources
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    When the guide's diagnostic commands run as written on the replica "postgresql-slave" and its claim "postgresql-slave"
    Then its logs, events and descriptions answer about the replica's running pod and bound claim
    And its « État des ressources » lists the master's pod and the replica's

  @cluster @guide-diagnostics
  Scenario: Commandes de diagnostic — oc top, where the cluster serves resource metrics
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And the cluster serves the resource metrics API that oc top reads, with figures for the pods of the master and the replica
    When the guide's diagnostic commands run as written on the replica "postgresql-slave" and its claim "postgresql-slave"
    Then oc top shows the CPU and memory of the replica's pod

  @guide-troubleshooting-lag
  Scenario: Lag de réplication élevé — the replica's resources and the master's load, as their reader types them
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    And oc top has figures for the pods of the master and the replica: from the cluster's resource metrics API on a cluster, elsewhere from the backend's own account of its pods
    When the guide's checks of the replica's resources and the master's load run as written, SLAVE_POD and MASTER_POD set by the guide's own lines
    Then its oc describe pod describes the replica's pod running and ready
    And its two oc top pod lines each printed one row, the replica's pod then the master's, with its CPU and more than 1 MiB of memory

  @service-names @guide-troubleshooting-slave-start @erratum-E25
  Scenario: Le slave ne démarre pas — the guide's « Master inaccessible » check tells a reachable master
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then the guide's « Master inaccessible » check, run as written from the replica's pod, says the running master is reachable

  @cluster @guide-troubleshooting-slave-start @erratum-E25
  Scenario: Le slave ne démarre pas — a NetworkPolicy cuts the master off, where the cluster enforces NetworkPolicy
    Given a disposable pair deployed from the manifests under test
    And a NetworkPolicy denies every ingress to the master's pod, and the cluster enforces it
    Then the guide's « Master inaccessible » check, run as written from the replica's pod, says the master is unreachable
    When that NetworkPolicy is deleted
    Then the guide's « Master inaccessible » check, run as written from the replica's pod, says the running master is reachable

  @cluster @guide-1.2 @guide-1.3 @guide-1.4 @guide-2.1 @guide-2.2 @guide-2.4
  Scenario: Étapes 1.2 to 1.4, 2.1, 2.2 and 2.4 as their reader types them — each oc apply -f creates its objects as its file writes them
    Given a master "postgresql" that already holds data, as before the guide
    When the oc apply -f lines of Étapes 1.2, 1.3, 1.4, 2.1, 2.2 and 2.4 run as written in a directory of the pair's manifests files
    Then each exited 0 saying its objects were created, and the cluster holds each as its file writes it
