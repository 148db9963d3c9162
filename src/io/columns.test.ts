import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { chooseColumns, chooseValueByType, isPeriodEndColumn, normalizedName } from './columns.js';

describe('chooseColumns: the names real exports use', () => {
  it('normalises names: case, spaces and punctuation do not matter', () => {
    expect(normalizedName('Ticker Symbol')).toBe('tickersymbol');
    expect(normalizedName('trade_date')).toBe('tradedate');
    expect(normalizedName('Adj Close')).toBe('adjclose');
  });

  it.each([
    // [columns, date, asset, value]
    [
      ['', 'Ticker Symbol', 'Period Ending', 'After Tax ROE'].map((c, i) => (c === '' ? `column${i}` : c)),
      'Period Ending',
      'Ticker Symbol',
      undefined,
    ], // Kaggle fundamentals (pandas index first)
    [['ts_code', 'trade_date', 'close', 'vol'], 'trade_date', 'ts_code', 'close'], // Tushare daily
    [['S_INFO_WINDCODE', 'TRADE_DT', 'S_DQ_ADJCLOSE'], 'TRADE_DT', 'S_INFO_WINDCODE', undefined], // Wind
    [['instrument', 'datetime', 'factor_value'], 'datetime', 'instrument', 'factor_value'], // qlib
    [['PERMNO', 'caldt', 'RET'], 'caldt', 'PERMNO', undefined], // CRSP
    [['gvkey', 'datadate', 'ceq'], 'datadate', 'gvkey', undefined], // Compustat
    [['Date', 'Name', 'Adj Close'], 'Date', 'Name', 'Adj Close'],
    // Yahoo's long download: the adjusted close, not the close, whose returns leave out dividends
    [['Date', 'Ticker', 'Open', 'High', 'Low', 'Close', 'Adj Close', 'Volume'], 'Date', 'Ticker', 'Adj Close'],
    [['date', 'ticker', 'close', 'adj_close'], 'date', 'ticker', 'adj_close'],
    [['date', 'symbol', 'close', 'adjusted_close', 'volume'], 'date', 'symbol', 'adjusted_close'],
    [['date', 'ann_date', 'end_date', 'ts_code', 'roe'], 'date', 'ts_code', undefined], // a date named date wins over period ends
  ])('%j: date %s, asset %s, value %s', (columns, date, asset, value) => {
    const c = chooseColumns(columns, {}, 'f.csv');
    expect(c).toEqual({ layout: 'long', dateCol: date, assetCol: asset, valueCol: value });
  });

  it('a wide table keeps the pandas index as its date; a period-end name is a date only in a long table', () => {
    expect(chooseColumns(['column0', 'AAPL', 'MSFT'], {}, 'w.csv')).toEqual({ layout: 'wide', dateCol: 'column0' });
    expect(chooseColumns(['column0', 'end_date', 'MSFT'], {}, 'w.csv')).toEqual({ layout: 'wide', dateCol: 'column0' });
    expect(chooseColumns(['column0', 'end_date', 'ts_code', 'roe'], { layout: 'wide' }, 'w.csv')).toEqual({
      layout: 'wide',
      dateCol: 'column0',
    });
    expect(() => chooseColumns(['end_date', 'MSFT'], {}, 'w.csv')).toThrow(InputError); // no asset column: wide, and no date column
  });

  it('isPeriodEndColumn names the dates of a period end', () => {
    for (const c of ['Period Ending', 'datadate', 'end_date', 'PERIOD_END']) expect(isPeriodEndColumn(c)).toBe(true);
    for (const c of ['date', 'ann_date', 'trade_date', 'Date first added']) expect(isPeriodEndColumn(c)).toBe(false);
  });
});

describe('chooseValueByType', () => {
  const cols = [
    { name: 'date', type: 'DATE' },
    { name: 'asset', type: 'VARCHAR' },
    { name: 'score', type: 'VARCHAR' }, // numbers, but one NA cell made DuckDB type it as text
    { name: 'volume', type: 'BIGINT' },
  ];
  it('a text column that holds numbers counts as numeric: never passed over for the other numeric column', () => {
    expect(chooseValueByType(cols, ['date', 'asset'], 'f.csv')).toBe('volume');
    expect(() => chooseValueByType(cols, ['date', 'asset'], 'f.csv', ['score'])).toThrow(/2 numeric columns \(score, volume\)/);
    expect(chooseValueByType(cols.slice(0, 3), ['date', 'asset'], 'f.csv', ['score'])).toBe('score');
  });
});
