import { admits } from './ranges';

describe('admits (the package tests\' range check)', () => {
  test.each([
    ['^0.21.0', '0.21.0', true], ['^0.21.0', '0.21.7', true], ['^0.21.0', '0.22.0', false], ['^0.24.0', '0.23.9', false],
    ['^10.4.2', '10.4.2', true], ['^10.4.2', '10.9.0', true], ['^10.4.2', '10.4.1', false], ['^10.4.2', '11.0.0', false],
    ['>=10.6.0 <10.8.0', '10.7.2', true], ['>=10.6.0 <10.8.0', '10.6.0', true], ['>=10.6.0 <10.8.0', '10.8.0', false], ['>=10.6.0 <10.8.0', '10.5.9', false],
    ['25.7.0', '25.7.0', true], ['25.7.0', '25.7.1', false],
  ])('%s admits %s: %s', (range, version, expected) => {
    expect(admits(range, version)).toBe(expected);
  });

  test('refuses forms it does not know, and versions that are not plain', () => {
    expect(() => admits('~1.2.3', '1.2.3')).toThrow(/unsupported range form/);
    expect(() => admits('^1.2.3', '1.2')).toThrow(/not a plain version/);
  });
});
