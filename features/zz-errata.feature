@errata
Feature: The errata of the guide reproduce exactly
  The reviewed errata file lists every place the guide is wrong. On the guide as published each must
  reproduce; on the corrected manifests only those of the guide's own text and procedure remain. Runs last.

  Scenario: Every erratum this run must see has reproduced, and nothing else deviated
    Given the guide has been applied to the existing master "postgresql" and the replica "postgresql-slave"
    Then every erratum this run expects has reproduced
    And no deviation outside the errata file was seen
