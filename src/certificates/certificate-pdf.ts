import QRCode from 'qrcode';
import { cjkPdf, preparedCjkPdf } from '../common/cjk-font';
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

/** Where documents' time went, added up over every document rendered with the same object (milliseconds). */
export interface RenderTimings {
  /** Page setup, layout and drawing, up to doc.end(). */
  layout: number;
  /** Subsetting and embedding the fonts (inside doc.end()). */
  fontSubset: number;
  /** Encoding the QR code (and, for the PNG, compressing it and pdfkit decoding it again). */
  qr: number;
  /** The rest of doc.end(): compressing and writing out the objects. */
  output: number;
}

export function emptyTimings(): RenderTimings {
  return { layout: 0, fontSubset: 0, qr: 0, output: 0 };
}

const RED = '#b3261e';
const INK = '#1f1f1f';
const QR_SIZE = 92;
/** Quiet zone around the QR code, in modules. */
const QR_MARGIN = 2;

/**
 * One A4 landscape certificate (结业证书) as PDF bytes, as the compile job renders them: the fonts' layouts and
 * glyphs prepared once per process (preparedCjkPdf) and the QR code drawn as vector squares, so only what
 * differs between certificates is worked out per document. Same page and words as drawCertificate.
 */
export function renderCertificatePdf(content: CertificateContent, timings?: RenderTimings): Promise<Buffer> {
  const started = performance.now();
  const { doc, done } = preparedCjkPdf(documentOptions(content));
  let qrMs = 0;
  drawPage(doc, content, (x, y) => {
    const at = performance.now();
    drawQrSquares(doc, content.verifyUrl, x, y, QR_SIZE);
    qrMs += performance.now() - at;
  });
  if (timings) timings.qr += qrMs;
  return finish(doc, done, timings && { timings, started: started + qrMs });
}

/**
 * The same certificate drawn the plain pdfkit way — nothing prepared, the QR code a PNG image — kept as the
 * benchmarks' baseline ("bare pdfkit drawing the same page").
 */
export function drawCertificate(content: CertificateContent, qr: Buffer, timings?: RenderTimings): Promise<Buffer> {
  const started = performance.now();
  const { doc, done } = cjkPdf(documentOptions(content));
  drawPage(doc, content, (x, y) => doc.image(qr, x, y, { width: QR_SIZE, height: QR_SIZE }));
  return finish(doc, done, timings && { timings, started });
}

/** The QR code's PNG, for drawCertificate: a separate step so a benchmark can time it. */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: QR_MARGIN, scale: 4 });
}

function documentOptions(content: CertificateContent): PDFKit.PDFDocumentOptions {
  return {
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    // Fixed metadata: the same certificate renders to the same bytes.
    info: { Title: `结业证书 ${content.serial}`, Author: content.issuer, Subject: content.courseTitle, CreationDate: content.issuedAt, ModDate: content.issuedAt },
    lang: 'zh-CN',
  };
}

function drawPage(doc: PDFKit.PDFDocument, content: CertificateContent, drawQr: (x: number, y: number) => void): void {
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

  const bottom = height - 70;
  drawQr(left, bottom - QR_SIZE - 36);
  doc.fontSize(11).text('扫码验证证书真伪', left, bottom - 30, { width: 200 });
  doc.fontSize(12).text(`证书编号：${content.serial}`, left, bottom - 14, { width: 300 });

  const right = width - left - 260;
  doc.font('bold').fontSize(18).text(content.issuer, right, bottom - 70, { width: 260, align: 'center' });
  doc.font('regular').fontSize(15).text(chineseDate(content.issuedAt), right, bottom - 38, { width: 260, align: 'center' });
}

/**
 * The QR code as filled squares in the page's own content (one rectangle per run of dark modules in a row):
 * no PNG to compress, decode and compress again, and sharp at any zoom. Same symbol as qrPng's (same
 * encoder, error correction level and quiet zone).
 */
function drawQrSquares(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const count = modules.size;
  const unit = size / (count + 2 * QR_MARGIN);
  const rows: string[] = [];
  for (let row = 0; row < count; row++) {
    const top = num(y + (row + QR_MARGIN) * unit);
    for (let col = 0; col < count; ) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      rows.push(`${num(x + (start + QR_MARGIN) * unit)} ${top} ${num((col - start) * unit)} ${num(unit)} re`);
    }
  }
  doc.save().fillColor('#000000');
  doc.addContent(rows.join('\n')).addContent('f').restore();
}

/** A PDF number: at most 3 decimals, no trailing zeros. */
function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** Ends the document; with timings, adds how long its layout, font embedding and output took. */
function finish(doc: PDFKit.PDFDocument, done: Promise<Buffer>, timed?: { timings: RenderTimings; started: number }): Promise<Buffer> {
  if (!timed) {
    doc.end();
    return done;
  }
  const { timings, started } = timed;
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
