import type { PortalContext } from '../../src/portal/context'
import type { DaySpend } from '../../src/portal/queries/spend'

const WIDTH = 600
const HEIGHT = 160
const TOP = 16
const BOTTOM = 20

/** Daily spending as an SVG bar chart drawn on the server: no script, no inline style. */
export function SpendChart({ ctx, days }: { ctx: PortalContext; days: DaySpend[] }) {
  const { i18n } = ctx
  const max = Math.max(...days.map((d) => d.chargedUnits), 1)
  const slot = WIDTH / days.length
  const plot = HEIGHT - TOP - BOTTOM
  const first = days[0]
  const last = days[days.length - 1]
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={i18n.t('dashboard.chartLabel')}
    >
      <title safe>{i18n.t('dashboard.chartLabel')}</title>
      <line class="axis" x1="0" x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} />
      {days.map((day, index) => {
        if (day.chargedUnits === 0) return ''
        const height = Math.max(2, (day.chargedUnits / max) * plot)
        return (
          <rect
            class="bar-fill"
            x={(index * slot + 1).toFixed(1)}
            y={(HEIGHT - BOTTOM - height).toFixed(1)}
            width={(slot - 2).toFixed(1)}
            height={height.toFixed(1)}
          >
            <title safe>{`${i18n.date(day.day)}: ${i18n.mmk(day.chargedUnits)}`}</title>
          </rect>
        )
      })}
      <text x="0" y="11" safe>
        {i18n.mmk(max)}
      </text>
      {first ? (
        <text x="0" y={HEIGHT - 5} safe>
          {i18n.date(first.day)}
        </text>
      ) : (
        ''
      )}
      {last ? (
        <text x={WIDTH} y={HEIGHT - 5} text-anchor="end" safe>
          {i18n.date(last.day)}
        </text>
      ) : (
        ''
      )}
    </svg>
  )
}
