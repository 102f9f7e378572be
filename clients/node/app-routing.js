'use strict';
// The guide's Node.js / TypeORM replication configuration, run as an application would run it, by the real
// typeorm and pg packages. The harness starts this script with node and reads one JSON object per line on stdout.
//
// Input, all in the environment (never on the command line, where ps shows it):
//   GUIDE_TYPEORM_CONFIG  the guide's javascript block, verbatim: an object literal
//   SERVICES              JSON {"<Service name>": "<host>:<port>"}: where each Service is reached from this host
//   PASSWORDS             JSON {"<placeholder in the guide>": "<this run's password>"}
//   IDENTITY_SQL          a SQL expression naming the server that answers (recovery, address, port, start time)
//   ROUNDS                how many rows to write through the master and read back through the replica
//   READ_TIMEOUT_MS       how long a read-after-write reads again (every 2 ms) before giving up on its row
// Output: {"event":"config"|"write"|"read"|"write-on-replica"|"error", ...}; exit status 0 unless an error.

require('reflect-metadata');
const vm = require('node:vm');
const crypto = require('node:crypto');
const { setTimeout: pollDelay } = require('node:timers/promises');
const { DataSource } = require('typeorm');

function emit(event) {
  process.stdout.write(JSON.stringify(event) + '\n');
}

function env(name) {
  const v = process.env[name];
  if (v === undefined || v === '') {
    throw new Error('missing environment variable ' + name);
  }
  return v;
}

/** The guide's object literal, evaluated as JavaScript in an empty context (it is code, not JSON). */
function guideConfig() {
  return vm.runInNewContext('(' + env('GUIDE_TYPEORM_CONFIG') + ')', Object.create(null), { timeout: 1000 });
}

/** Host and port: the Service named by the guide's host, as this host reaches it. Password: this run's. */
function adapt(credentials, services, passwords, role) {
  const guideAddress = credentials.host + ':' + credentials.port;
  const target = services[credentials.host];
  if (!target) {
    throw new Error(role + ': the guide names host ' + credentials.host + ', which is no Service of the pair ('
      + Object.keys(services).join(', ') + ')');
  }
  const [host, port] = target.split(':');
  const password = passwords[credentials.password];
  if (password === undefined) {
    throw new Error(role + ': the guide\'s password is not a placeholder this run replaces');
  }
  return { adapted: { ...credentials, host, port: Number(port), password }, guideAddress };
}

async function main() {
  const config = guideConfig();
  const services = JSON.parse(env('SERVICES'));
  const passwords = JSON.parse(env('PASSWORDS'));
  const identity = env('IDENTITY_SQL');
  const rounds = Number(env('ROUNDS'));
  const readTimeoutMs = Number(env('READ_TIMEOUT_MS'));

  const master = adapt(config.replication.master, services, passwords, 'replication.master');
  const slaves = config.replication.slaves.map((s, i) => adapt(s, services, passwords, 'replication.slaves[' + i + ']'));
  emit({ event: 'config', type: config.type, master: master.guideAddress, slaves: slaves.map((s) => s.guideAddress) });

  const dataSource = new DataSource({
    ...config,
    replication: { ...config.replication, master: master.adapted, slaves: slaves.map((s) => s.adapted) },
    applicationName: 'pg-replication-harness typeorm',
    connectTimeoutMS: 10000,
    logging: false,
  });
  await dataSource.initialize();
  try {
    const runMarker = crypto.randomUUID();
    for (let round = 1; round <= rounds; round++) {
      const marker = runMarker + '/' + round;
      // A write: TypeORM's InsertQueryBuilder takes a query runner of the default mode, the master.
      const inserted = await dataSource.createQueryBuilder().insert().into('app_routing', ['via', 'marker'])
        .values({ via: 'typeorm', marker }).returning(identity + ' AS server').execute();
      const written = process.hrtime.bigint();
      emit({ event: 'write', round, marker, server: inserted.raw[0].server });
      // A read right after it: TypeORM's SelectQueryBuilder takes a query runner for reads, a slave.
      let attempts = 0;
      let row;
      for (;;) {
        attempts++;
        row = await dataSource.createQueryBuilder().select(identity, 'server').addSelect('count(*)::int', 'seen')
          .from('app_routing', 'a').where('a.marker = :marker', { marker }).getRawOne();
        const elapsedMs = Number(process.hrtime.bigint() - written) / 1e6;
        if (row.seen > 0 || elapsedMs > readTimeoutMs) {
          emit({ event: 'read', round, marker, server: row.server, seen: row.seen > 0, firstReadSawIt: attempts === 1 && row.seen > 0,
            attempts, appearedAfterMs: Math.round(elapsedMs * 1000) / 1000 });
          break;
        }
        await pollDelay(2); // the next read 2 ms later, as the harness polls replay in Test 3
      }
    }
    // A write that the application sends to a slave's query runner: the replica refuses it.
    const onSlave = dataSource.createQueryRunner('slave');
    try {
      await onSlave.query('INSERT INTO app_routing (via, marker) VALUES ($1, $2)', ['typeorm slave', runMarker]);
      emit({ event: 'write-on-replica', refused: false });
    } catch (e) {
      emit({ event: 'write-on-replica', refused: true, sqlstate: e.driverError?.code ?? e.code ?? null, message: String(e.message) });
    } finally {
      await onSlave.release();
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((e) => {
  emit({ event: 'error', message: String(e && e.message), sqlstate: (e && (e.code || (e.driverError && e.driverError.code))) || null });
  process.exitCode = 1;
});
