import type { PortalContext } from '../../src/portal/context'
import type { DaySpend } from '../../src/portal/queries/spend'

const WIDTH = 600
const HEIGHT = 120
const AXIS = HEIGHT - 1

/**
 * Daily spending as an SVG bar chart drawn on the server: no script, no inline style. Its
 * labels are HTML around the drawing, so they keep the page's type size on a phone and no
 * Burmese mark is clipped at the drawing's edge.
 */
export function SpendChart({ ctx, days }: { ctx: PortalContext; days: DaySpend[] }) {
  const { i18n } = ctx
  const max = Math.max(...days.map((d) => d.chargedUnits), 1)
  const slot = WIDTH / days.length
  const first = days[0]
  const last = days.at(-1)
  const from = first ? i18n.date(first.day) : ''
  const to = last ? i18n.date(last.day) : ''
  return (
    <div class="chart">
      <div class="chart-label" safe>
        {i18n.mmk(max)}
      </div>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={i18n.t('dashboard.chartLabel')}
      >
        <title safe>{i18n.t('dashboard.chartLabel')}</title>
        <line class="axis" x1="0" x2={WIDTH} y1={AXIS} y2={AXIS} />
        {days.map((day, index) => {
          if (day.chargedUnits === 0) return ''
          const height = Math.max(2, (day.chargedUnits / max) * AXIS)
          return (
            <rect
              class="bar-fill"
              x={(index * slot + 1).toFixed(1)}
              y={(AXIS - height).toFixed(1)}
              width={(slot - 2).toFixed(1)}
              height={height.toFixed(1)}
            >
              <title safe>{`${i18n.date(day.day)}: ${i18n.mmk(day.chargedUnits)}`}</title>
            </rect>
          )
        })}
      </svg>
      <div class="chart-label chart-dates">
        <span safe>{from}</span>
        <span safe>{to}</span>
      </div>
    </div>
  )
}
