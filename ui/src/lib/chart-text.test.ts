import { describe, expect, it } from 'vitest';
import { scaleChartText } from './chart-text';

describe('scaleChartText', () => {
  const formatter = (v: number) => `${v}%`;
  const option = {
    grid: { left: 44, right: '5%', top: 40, bottom: 28 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: ['a', 'b'] },
    yAxis: [{ type: 'value', name: 'score', axisLabel: { formatter, fontSize: 10 } }],
    series: [
      { type: 'funnel', data: [1, 2] },
      { type: 'line', symbolSize: 8, markLine: { data: [], label: { position: 'end' } } },
    ],
  };

  it('scales every text size, from ECharts defaults where none is set', () => {
    const s = scaleChartText(option, 1.5) as typeof option & Record<string, never>;
    const x = s.xAxis as unknown as { axisLabel: { fontSize: number } };
    const y = (s.yAxis as unknown as { axisLabel: { fontSize: number; formatter: unknown }; nameTextStyle: { fontSize: number } }[])[0];
    expect(x.axisLabel.fontSize).toBe(18);
    expect(y.axisLabel.fontSize).toBe(15);
    expect(y.axisLabel.formatter).toBe(formatter);
    expect(y.nameTextStyle.fontSize).toBe(18);
    const series = s.series as unknown as { label: { fontSize: number }; symbolSize?: number; markLine?: { label: { fontSize: number; position: string } } }[];
    expect(series[0].label.fontSize).toBe(18);
    expect(series[1].symbolSize).toBe(12);
    expect(series[1].markLine?.label).toEqual({ position: 'end', fontSize: 18 });
    expect((s.legend as unknown as { textStyle: { fontSize: number } }).textStyle.fontSize).toBe(18);
    expect((s.tooltip as unknown as { textStyle: { fontSize: number } }).textStyle.fontSize).toBe(21);
    expect(s.grid).toEqual({ left: 66, right: '5%', top: 60, bottom: 42 });
  });

  it('leaves the option alone at factor 1 and never changes the one passed', () => {
    expect(scaleChartText(option, 1)).toBe(option);
    scaleChartText(option, 2);
    expect(option.xAxis).toEqual({ type: 'category', data: ['a', 'b'] });
    expect(option.yAxis[0].axisLabel.fontSize).toBe(10);
  });
});
