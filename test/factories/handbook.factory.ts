import { crc32, deflateSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { BranchMember, MemberCategory } from '../../src/branch-members/branch-member.entity';
import type { Branch } from '../../src/org/branch.entity';
import { uniq } from './org.factory';

/** Members of a branch's list, inserted directly (the members' HTTP routes belong to the plans work). */
export async function makeMembers(ds: DataSource, branch: Branch, people: { name?: string; category?: MemberCategory }[]): Promise<BranchMember[]> {
  const repository = ds.getRepository(BranchMember);
  return repository.save(people.map((p) => repository.create({ branchId: branch.id, name: p.name ?? `党员${uniq()}`, category: p.category ?? 'full', joinedAt: null, leftAt: null })));
}

/** A real PNG of one colour (what a phone's screenshot would send), built with zlib. */
export function pngImage(width = 24, height = 16, rgb: [number, number, number] = [192, 0, 0]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** A 1×1 JPEG (JFIF, as a phone camera's photo starts). */
export const JPEG_PHOTO = Buffer.from(
  'ffd8ffe000104a46494600010101004800480000ffdb004300030202020202030202020303030304060404040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9',
  'hex',
);

/** The start of an iPhone's HEIC photo: the ISO-BMFF `ftyp` box with the `heic` brand is what identifies it. */
export const HEIC_PHOTO = Buffer.concat([
  Buffer.from('00000018667479706865696300000000', 'hex'),
  Buffer.from('mif1heic', 'ascii'),
  Buffer.alloc(256, 0),
]);

/** A small, valid PDF (a scanned sign-in sheet). */
export const PDF_SCAN = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
