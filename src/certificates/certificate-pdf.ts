import QRCode from 'qrcode';
import { cjkPdf } from '../common/cjk-font';
import { chineseDate } from './certificate-codes';

/** What a certificate shows; everything is as issued (copied onto the certificate row). */
export interface CertificateContent {
  name: string;
  unitName: string | null;
  branchName: string | null;
  courseTitle: string;
  periodStart: Date;
  periodEnd: Date;
  creditHours: number;
  /** When the holder completed the course: a certificate compiled before the period ends says so truly. */
  completedAt: Date | null;
  issuedAt: Date;
  issuer: string;
  serial: string;
  verifyUrl: string;
}

const RED = '#b3261e';
const INK = '#1f1f1f';

/** The QR code's PNG: a separate step so the benchmark's baseline can draw the very same page. */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 });
}

/** Where one document's time went, added up over the documents rendered with the same object (milliseconds). */
export interface RenderTimings {
  /** Page setup, layout and drawing, up to doc.end(). */
  layout: number;
  /** Subsetting and embedding the fonts (inside doc.end()). */
  fontSubset: number;
  qr: number;
  /** The rest of doc.end(): compressing and writing out the objects. */
  output: number;
}

export function emptyTimings(): RenderTimings {
  return { layout: 0, fontSubset: 0, qr: 0, output: 0 };
}

/** One A4 landscape certificate (结业证书) as PDF bytes. */
export async function renderCertificatePdf(content: CertificateContent, timings?: RenderTimings): Promise<Buffer> {
  const started = performance.now();
  const qr = await qrPng(content.verifyUrl);
  if (timings) timings.qr += performance.now() - started;
  return drawCertificate(content, qr, timings);
}

export function drawCertificate(content: CertificateContent, qr: Buffer, timings?: RenderTimings): Promise<Buffer> {
  const started = performance.now();
  const { doc, done } = cjkPdf({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    // Fixed metadata: the same certificate renders to the same bytes.
    info: { Title: `结业证书 ${content.serial}`, Author: content.issuer, Subject: content.courseTitle, CreationDate: content.issuedAt, ModDate: content.issuedAt },
    lang: 'zh-CN',
  });

  const width = doc.page.width;
  const height = doc.page.height;
  doc.lineWidth(4).strokeColor(RED).rect(24, 24, width - 48, height - 48).stroke();
  doc.lineWidth(1).rect(34, 34, width - 68, height - 68).stroke();

  doc.fillColor(RED).font('bold').fontSize(44).text('结 业 证 书', 0, 80, { width, align: 'center', characterSpacing: 6 });

  const left = 110;
  const textWidth = width - 2 * left;
  doc.fillColor(INK).font('bold').fontSize(22).text(`${content.name} 同志：`, left, 175, { width: textWidth });
  const where = [content.unitName, content.branchName].filter(Boolean).join(' ');
  doc
    .font('regular')
    .fontSize(17)
    .text(where ? `所在单位：${where}` : '', left + 40, 215, { width: textWidth - 40 })
    .moveDown(0.6)
    .text(
      `于${chineseDate(content.periodStart)}至${chineseDate(content.periodEnd)}参加“${content.courseTitle}”，` +
        `${content.completedAt ? `于${chineseDate(content.completedAt)}` : ''}完成规定的学习任务，累计获得 ${formatHours(content.creditHours)} 学时，经考核合格，准予结业。`,
      { width: textWidth - 40, lineGap: 8, indent: 0 },
    )
    .moveDown(0.6)
    .text('特发此证。', { width: textWidth - 40 });

  const qrSize = 92;
  const bottom = height - 70;
  doc.image(qr, left, bottom - qrSize - 36, { width: qrSize, height: qrSize });
  doc.fontSize(11).text('扫码验证证书真伪', left, bottom - 30, { width: 200 });
  doc.fontSize(12).text(`证书编号：${content.serial}`, left, bottom - 14, { width: 300 });

  const right = width - left - 260;
  doc.font('bold').fontSize(18).text(content.issuer, right, bottom - 70, { width: 260, align: 'center' });
  doc.font('regular').fontSize(15).text(chineseDate(content.issuedAt), right, bottom - 38, { width: 260, align: 'center' });

  if (!timings) {
    doc.end();
    return done;
  }
  // pdfkit files a font under its name and its PostScript name: wrap each once.
  const fonts = new Set(Object.values((doc as unknown as { _fontFamilies: Record<string, { embed: () => void }> })._fontFamilies));
  let fontMs = 0;
  for (const font of fonts) {
    const embed = font.embed;
    font.embed = function (this: unknown) {
      const at = performance.now();
      embed.call(this);
      fontMs += performance.now() - at;
    };
  }
  const ending = performance.now();
  timings.layout += ending - started;
  doc.end();
  return done.then((pdf) => {
    timings.fontSubset += fontMs;
    timings.output += performance.now() - ending - fontMs;
    return pdf;
  });
}

/** 12 → "12", 12.5 → "12.5". */
function formatHours(hours: number): string {
  return Number.isInteger(hours) ? String(hours) : hours.toFixed(1);
}
