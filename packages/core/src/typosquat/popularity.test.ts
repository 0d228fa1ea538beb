import { npmHighImpact } from 'npm-high-impact';
import { describe, expect, it } from 'vitest';
import { perMonth, popularitySnapshot } from './popularity';

describe('the built-in popularity snapshot', () => {
  const snap = popularitySnapshot();

  it('names its source and month, and keeps the floor', () => {
    expect(snap).toMatchObject({ source: 'download-counts@2.20260301.0', month: '2026-03', floor: 1000 });
  });

  it('lists npm-high-impact in order, then the most downloaded names it lacks, with their downloads', () => {
    expect(snap.targets.slice(0, npmHighImpact.length)).toEqual(npmHighImpact);
    expect(snap.targets.length).toBeGreaterThan(npmHighImpact.length);
    const express = snap.targets.indexOf('express');
    expect(snap.targetDownloads(express)).toBeGreaterThan(100_000_000);
    for (let id = npmHighImpact.length; id < snap.targets.length; id++) expect(snap.targetDownloads(id), snap.targets[id]).toBeGreaterThan(1_000_000);
    expect(snap.targetDownloads(snap.targets.length)).toBeUndefined();
  });

  it('answers established names exactly (no prefix, no other row), at or above the floor', () => {
    expect(snap.established('raven-js')).toBe(550_000);
    expect(snap.established('raven')).toBeUndefined(); // a target, not a look-alike
    expect(snap.established('raven-j')).toBeUndefined();
    expect(snap.established('raven-js5')).toBeUndefined();
    expect(snap.established('')).toBeUndefined();
    expect(snap.established('raven-js\nx')).toBeUndefined();
    for (const name of ['ansicolor', 'libpq', 'qrcodejs']) expect(snap.established(name), name).toBeGreaterThanOrEqual(snap.floor);
  });

  it('formats counts without Intl', () => {
    expect(perMonth(95000)).toBe('95,000 downloads a month');
    expect(perMonth(300_000_000)).toBe('300,000,000 downloads a month');
    expect(perMonth(999)).toBe('999 downloads a month');
  });
});

describe('established lookups, searched then mapped', () => {
  it('agree before and after the map is built', () => {
    const snap = popularitySnapshot();
    const names = ['raven-js', 'raven', 'raven-j', 'ansicolor', 'libpq', 'no-such-name-here', 'qrcodejs', 'crossenv'];
    const before = names.map((n) => snap.established(n));
    for (let i = 0; i < 40; i++) snap.established('warm-up');
    expect(names.map((n) => snap.established(n))).toEqual(before);
  });
});
