import type { MmkPricing } from '../../src/catalog/mmk'
import type { PortalContext } from '../../src/portal/context'

/** A kyat price per 1M tokens: the amount, "Free" for zero, "Unknown" when not published. */
export function Price({ ctx, mmk }: { ctx: PortalContext; mmk: number | null }) {
  const { t } = ctx.i18n
  if (mmk === null) {
    return (
      <span class="muted" safe>
        {t('common.unknown')}
      </span>
    )
  }
  if (mmk === 0) return <span safe>{t('common.free')}</span>
  return <span safe>{ctx.i18n.mmkAmount(mmk, mmk < 10 ? 2 : 0)}</span>
}

/** The input and output prices per 1M tokens, as the two cells of a price table row. */
export function PriceCells({ ctx, mmk }: { ctx: PortalContext; mmk: MmkPricing }) {
  return (
    <>
      <td class="num">
        <Price ctx={ctx} mmk={mmk.promptPer1M} />
      </td>
      <td class="num">
        <Price ctx={ctx} mmk={mmk.completionPer1M} />
      </td>
    </>
  )
}
