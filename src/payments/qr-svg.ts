import QRCode from 'qrcode'

/** The provider's QR payload as an SVG, error correction M, drawn on the server. */
export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 260,
  })
}
