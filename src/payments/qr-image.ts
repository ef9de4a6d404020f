import QRCode from 'qrcode'

// Error correction M, as PROTOCOLS.md §2.5 asks, at a size a phone camera reads from a screen.
const options = { errorCorrectionLevel: 'M', margin: 2, width: 260 } as const

/** The provider's QR payload as an SVG, drawn on the server for the portal. */
export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { ...options, type: 'svg' })
}

/** The same QR as a PNG data URL, for programs that show or save an image. */
export function qrPngDataUrl(payload: string): Promise<string> {
  return QRCode.toDataURL(payload, options)
}
