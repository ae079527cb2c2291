import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfigFile } from '../../src/config.js';

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
    expect(parseConfigFile('# distributed\nVIGIL_BUS=kafka\n\nVIGIL_CASSANDRA_REPLICATION="{\'class\': \'SimpleStrategy\', \'replication_factor\': 3}"\n', 'vigil.env')).toEqual({
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
  });
});
