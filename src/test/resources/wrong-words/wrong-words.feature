Feature: Words of a feature that the manifests and the guide contradict
  Each step below must fail before anything is deployed, saying what is wrong.

  Scenario: a pod the manifests do not have
    Then the pg_dumpall backup of the master "postgresql-primary" was taken and is not empty

  Scenario: the replica named where the master is meant
    Then the pg_dumpall backup of the master "postgresql-slave" was taken and is not empty

  Scenario: a delay the guide does not promise
    Then the replica "postgresql-slave" has replayed them within 7 seconds of the commit, and its COUNT(*) matches

  Scenario: a count the guide's SQL does not insert
    When the guide's Test 3 inserts 1,000 rows on the master "postgresql"
