import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pairs } from '../../../pairs';
import { discoverFixtures } from './discover-fixtures';

describe('fault fixtures are found by convention from the pair list', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fault-fixtures-'));
    mkdirSync(path.join(dir, 'with-fixture'));
    writeFileSync(path.join(dir, 'with-fixture', 'fault-fixture.ts'), `exports.faultFixture = { pairId: 'with-fixture', open: async () => ({}) };\n`);
    mkdirSync(path.join(dir, 'wrong-id'));
    writeFileSync(path.join(dir, 'wrong-id', 'fault-fixture.ts'), `exports.faultFixture = { pairId: 'someone-else', open: async () => ({}) };\n`);
    mkdirSync(path.join(dir, 'without-fixture'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names every listed pair without a usable fixture and what to add', () => {
    const d = discoverFixtures(['with-fixture', 'without-fixture', 'wrong-id'], dir);
    expect(d.found.map((f) => f.pairId)).toEqual(['with-fixture']);
    expect(d.missing.map((m) => m.pairId)).toEqual(['without-fixture', 'wrong-id']);
    expect(d.missing[0]!.problem).toMatch(/pair without-fixture has no fault fixture: add .*without-fixture\/fault-fixture\.ts exporting faultFixture/);
    expect(d.missing[1]!.problem).toMatch(/exports the fixture of someone-else, not wrong-id/);
  });

  it('finds the PeopleSoft <-> Asana fixture in the shipped pair list', () => {
    const d = discoverFixtures(pairs.map((p) => p.id));
    expect(d.found.map((f) => f.pairId)).toContain('peoplesoft-asana');
    expect([...d.found.map((f) => f.pairId), ...d.missing.map((m) => m.pairId)].sort()).toEqual(pairs.map((p) => p.id).sort());
  });
});
