@lint @static
Feature: Static certification of the manifests
  Before any pair is stood up, the lint reads the manifests, their references, their PostgreSQL and pg_hba
  configurations and their scripts (bash -n), against the parameters of the target major. Its findings go to
  reports/lint/ as text, JSON, JUnit XML and SARIF, and to the report.

  Scenario: The lint finds nothing at or above the threshold that is not a recorded erratum
    When the lint runs on the manifests under test
    Then every finding at or above the threshold is a recorded erratum of the manifests under test

  Scenario: The guide as published and the corrected manifests, side by side
    Then the lint of the guide as published differs from that of the corrected manifests only where an erratum says so
