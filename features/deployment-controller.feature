Feature: The replica's Deployment under a cluster's own controller
  On a cluster, the replica's Deployment is run by the cluster's controller, which creates, recreates and rolls out
  its pod; elsewhere the harness plays it. Two of the guide's promises depend on that controller: a new revision of
  the Deployment keeps one server on the replica's claim (Étape 2.3's Deployment names no strategy, so the cluster's
  default applies), and « Recréer depuis zéro » gives the replica a new, empty claim. A third depends on the kubelet:
  the replica's livenessProbe, as written, gets its container restarted when it gets no answer. The scenarios need a cluster
  (@cluster): on the local and containers backends they are skipped, never passed.

  @cluster @guide-2.3 @guide-2.5 @erratum-E17 @guide-troubleshooting-slave-start
  Scenario: Étapes 2.3 and 2.5 — the Deployment's oc apply -f, as typed, starts a pod the guide's watch and logs follow through its init container; « Le slave ne démarre pas », typed on that pod, tells how it started
    Given a disposable pair deployed from the manifests under test
    When the replica's Deployment "postgresql-slave" is applied on an empty claim by Étape 2.3's oc apply -f as typed, and watched with Étape 2.5's commands, each follow given 5 seconds
    Then Étape 2.3's oc apply -f exited 0 saying the Deployment was created, and the cluster holds it as its file writes it
    And the watch shows the Deployment's pod Running with its container Ready
    And the log of its init container "setup-slave" shows pg_basebackup's copy completed
    And the log of its container "postgresql" shows the server streaming from the master
    And it all took less than the guide's 15 minutes estimate
    And the replica streams again within 60 seconds
    When the diagnostic of « Le slave ne démarre pas » and its « Permissions secret » check run as written, SLAVE_POD set by the guide's own line of Étape 2.5
    Then its oc logs of the init container "setup-slave" shows pg_basebackup's copy completed
    And its oc logs of the container "postgresql" shows the server streaming from the master
    And its oc describe pod shows the init container Completed with exit code 0, and the pod Running and Ready
    And its oc get secret printed the Secret "postgresql-replication" with every key the replica's containers read from it

  @cluster @guide-2.3 @erratum-E23
  Scenario: Étape 2.3 — a new revision of the replica's Deployment never runs two servers on its claim
    Given a disposable pair deployed from the manifests under test
    When the replica's Deployment "postgresql-slave" runs under the cluster's own controller, in place of the harness's pod
    And the Deployment rolls out a new revision, watched with Étape 2.5's oc get pods -w
    Then at no moment were two of its pods Ready on its claim "postgresql-slave"
    And the replica streams again within 60 seconds

  @cluster @guide-troubleshooting-slave-start @erratum-E24
  Scenario: Recréer depuis zéro — under the Deployment's controller, the replica gets a new, empty claim
    Given a disposable pair deployed from the manifests under test
    When the replica's Deployment "postgresql-slave" runs under the cluster's own controller, in place of the harness's pod
    And the guide's « Recréer depuis zéro » commands run as written, each given 20 seconds
    Then the replica's claim "postgresql-slave" is a new one
    And the replica streams again within 120 seconds

  @cluster @guide-2.3
  Scenario: Étape 2.3 — the replica's livenessProbe gets its container restarted when the probe gets no answer
    Given a disposable pair deployed from the manifests under test
    When the livenessProbe of the replica's container "postgresql" in pod "postgresql-slave" gets no answer, its server's socket removed
    Then the kubelet restarts that container within what its livenessProbe and the pod's grace period allow
    And the replica streams again within 60 seconds

  @cluster @guide-troubleshooting-lag @erratum-E23
  Scenario: Augmenter les ressources du slave — its oc edit, as typed, rolls out the replica with twice its memory and cpu, one server at a time on its claim
    Given a disposable pair deployed from the manifests under test
    When the replica's Deployment "postgresql-slave" runs under the cluster's own controller, in place of the harness's pod
    And « Augmenter les ressources du slave »'s oc edit runs as written, the reader's editor doubling the memory and cpu of its server's container, watched with Étape 2.5's oc get pods -w
    Then oc edit said the Deployment was edited, and its new pod's container has twice the memory and cpu it had
    And at no moment were two of its pods Ready on its claim "postgresql-slave"
    And the replica streams again within 60 seconds
