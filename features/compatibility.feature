@compat @static @guide-versions
Feature: The guide's configurations on every PostgreSQL major, 12 to 17
  The guide claims « PostgreSQL 12, 13, 14 ou 15 ». Its master.conf with pg_hba.conf, and its slave.conf, boot
  on real servers of each major (server-only binaries from Maven Central); a standby made from the master
  streams through the slot and replays a row. The report turns the outcomes into a compatibility table.

  Scenario Outline: PostgreSQL <major>
    When the guide's master and replica configurations boot on PostgreSQL <major>
    Then on PostgreSQL <major> they work, or the way they fail is a recorded erratum

    Examples:
      | major |
      | 13    |
      | 14    |
      | 15    |
      | 16    |
      | 17    |

  @erratum-E11
  Scenario: the guide's configurations on PostgreSQL 12
    When the guide's master and replica configurations boot on PostgreSQL 12
    Then on PostgreSQL 12 they work, or the way they fail is a recorded erratum
    And its failure names the parameter "wal_keep_size" as PostgreSQL reports it
    When they boot on PostgreSQL 12 as erratum E11's correction has them: "wal_keep_segments = 64" instead of "wal_keep_size", and no "max_slot_wal_keep_size"
    Then on PostgreSQL 12 they work so: master.conf and slave.conf boot, every parameter known, and the standby streams and replays a row
    And there, Étape 1.6's third check as the guide writes it is refused at "SHOW wal_keep_size" with SQLSTATE 42704, and the correction's "SHOW wal_keep_segments" answers "64"
