import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { classifierWorkersMax } from '../../src/config/components.js';
import { loadConfig, parseConfigFile } from '../../src/config/index.js';

describe('--config file', () => {
  it('reads JSON with setting, flag or environment names, as environment variables', () => {
    expect(parseConfigFile('{"bus": "kafka", "kafka-brokers": "k:9092", "VIGIL_STORE": "cassandra", "classifiersMax": 6}', 'c.json')).toEqual({
      VIGIL_BUS: 'kafka',
      VIGIL_KAFKA_BROKERS: 'k:9092',
      VIGIL_STORE: 'cassandra',
      VIGIL_CLASSIFIERS_MAX: '6',
    });
  });

  it('reads NAME=value lines with comments and quotes', () => {
    expect(
      parseConfigFile("# distributed\nVIGIL_BUS=kafka\n\nVIGIL_CASSANDRA_REPLICATION=\"{'class': 'SimpleStrategy', 'replication_factor': 3}\"\n", 'vigil.env'),
    ).toEqual({
      VIGIL_BUS: 'kafka',
      VIGIL_CASSANDRA_REPLICATION: "{'class': 'SimpleStrategy', 'replication_factor': 3}",
    });
  });

  it('names an unknown setting and a malformed line', () => {
    expect(() => parseConfigFile('{"buss": "kafka"}', 'c.json')).toThrow(/c.json: unknown setting buss/u);
    expect(() => parseConfigFile('VIGIL_BUS kafka', 'vigil.env')).toThrow(/vigil.env:1: expected NAME=value/u);
    expect(() => parseConfigFile('{"bus": ', 'c.json')).toThrow(/c.json: not valid JSON/u);
  });

  it('its values are validated like any setting', () => {
    expect(() => loadConfig({}, parseConfigFile('{"bus": "rabbit"}', 'c.json'))).toThrow(/VIGIL_BUS = "rabbit"/u);
    expect(() => loadConfig({}, { VIGIL_CLASSIFIERS_MIN: '5', VIGIL_CLASSIFIERS_MAX: '2' })).toThrow(/classifiers-min must not exceed classifiers-max/u);
    expect(loadConfig({}, {}).cassandraConcurrency).toBe(32);
    expect(loadConfig({ cassandraConcurrency: '128' }, {}).cassandraConcurrency).toBe(128);
    expect(() => loadConfig({}, { VIGIL_CASSANDRA_CONCURRENCY: '0' })).toThrow(/VIGIL_CASSANDRA_CONCURRENCY/u);
  });

  it('the classifier may grow to every core (never fewer workers than it starts with) unless its most is set, never below its start', () => {
    const cores = Math.max(1, Math.min(8, availableParallelism()));
    expect(classifierWorkersMax(loadConfig({}, {}))).toBe(cores);
    expect(classifierWorkersMax(loadConfig({ classifierWorkers: '12' }, {}))).toBe(12);
    expect(classifierWorkersMax(loadConfig({}, { VIGIL_CLASSIFIER_WORKERS: '1', VIGIL_CLASSIFIER_WORKERS_MAX: '1' }))).toBe(1);
    expect(() => loadConfig({ classifierWorkers: '3', classifierWorkersMax: '2' }, {})).toThrow(/classifier-workers-max must not be below classifier-workers/u);
    expect(() => loadConfig({}, { VIGIL_CLASSIFIER_WORKERS_MAX: '0' })).toThrow(/VIGIL_CLASSIFIER_WORKERS_MAX/u);
  });

  it("a command's own default gives way to the environment and to a flag, and is validated like any setting", () => {
    const importDefaults = { duckdbThreads: '1' };
    expect(loadConfig({}, {}, importDefaults).duckdbThreads).toBe(1);
    expect(loadConfig({}, { VIGIL_DUCKDB_THREADS: '3' }, importDefaults).duckdbThreads).toBe(3);
    expect(loadConfig({ duckdbThreads: '4' }, { VIGIL_DUCKDB_THREADS: '3' }, importDefaults).duckdbThreads).toBe(4);
    expect(() => loadConfig({}, {}, { duckdbThreads: '0' })).toThrow(/this command's default for --duckdb-threads/u);
  });

  it('a log segment is a whole number of MB from 1 to 4,096; anything else is refused with the setting named', () => {
    expect(loadConfig({}, {}).logSegmentMb).toBe(256);
    expect(loadConfig({ logSegmentMb: '4' }, {}).logSegmentMb).toBe(4);
    for (const bad of ['0', '4097', '-1', '1.5', 'lots', '1e9'])
      expect(() => loadConfig({}, { VIGIL_LOG_SEGMENT_MB: bad }), bad).toThrow(/VIGIL_LOG_SEGMENT_MB/u);
  });
});

describe('settings holding JSON', () => {
  it("a tracker connection's keywords and other targets are read and checked", () => {
    const c = loadConfig({}, { VIGIL_TRACK_KEYWORDS: '["sandy"]', VIGIL_TRACK_TARGETS: '{"follow":["783214"],"locations":[[-74.3,40.5,-73.7,40.9]]}' });
    expect(c.trackKeywords).toEqual(['sandy']);
    expect(c.trackTargets).toEqual({ follow: ['783214'], locations: [[-74.3, 40.5, -73.7, 40.9]] });
    expect(loadConfig({}, { VIGIL_TRACK_TARGETS: '{}' }).trackTargets).toEqual({ follow: [], locations: [] });
    expect(() => loadConfig({}, { VIGIL_TRACK_KEYWORDS: '["a", 1]' })).toThrow(/must be a JSON array of strings/u);
    expect(() => loadConfig({}, { VIGIL_TRACK_TARGETS: '{"locations":[[1,2,3]]}' })).toThrow(/must be JSON like \{"follow"/u);
    expect(() => loadConfig({}, { VIGIL_TRACK_TARGETS: 'not json' })).toThrow(/VIGIL_TRACK_TARGETS/u);
  });

  it("the Spark Connect URL and the query engine are validated; the engine's older name still works", () => {
    expect(loadConfig({}, { VIGIL_QUERY_ENGINE: 'spark', VIGIL_SPARK_CONNECT: 'sc://spark:15002' })).toMatchObject({
      queryEngine: 'spark',
      sparkConnect: 'sc://spark:15002',
    });
    expect(loadConfig({}, { VIGIL_ANALYTICS: 'spark' })).toMatchObject({ queryEngine: 'spark' });
    expect(() => loadConfig({}, { VIGIL_SPARK_CONNECT: 'http://spark:15002' })).toThrow(/Spark Connect URL/u);
    expect(() => loadConfig({}, { VIGIL_ANALYTICS: 'presto' })).toThrow(/VIGIL_ANALYTICS/u);
  });
});
