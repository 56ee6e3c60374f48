import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { BranchMembersService } from '../branch-members/branch-members.service';
import { BranchPlansService } from '../branch-plans/branch-plans.service';
import { NormsService } from '../norms/norms.service';
import { BranchScope } from '../org/branch-scope';
import { OrgRepository } from '../org/org.repository';
import { UserLabelsService } from '../users/user-labels.service';
import type { RecordStatus } from './branch-record.entity';
import { HandbookRepository } from './handbook.repository';
import { HandbookContent, renderHandbookPdf, renderLedgerXlsx } from './handbook-files';
import { RecordAttachmentsService } from './record-attachments.service';
import { OTHER_KIND } from './records.service';

const STATUS_NAMES: Record<RecordStatus, string> = { draft: '草稿', submitted: '待审核', accepted: '已通过', returned: '已退回' };
const PLAN_STATUS_NAMES: Record<string, string> = { draft: '草稿', submitted: '待审批', approved: '已批准', returned: '已退回' };
/** Images pdfkit can draw; HEIC photos are listed by name in print. */
const DRAWABLE = new Set(['image/jpeg', 'image/png']);
const PRINTED_PHOTOS_PER_RECORD = 6;

/** The printed handbook (PDF) and the ledger (XLSX) of a branch's year, for those who may read the branch's work. */
@Injectable()
export class HandbookExportService {
  constructor(
    private readonly scope: BranchScope,
    private readonly handbook: HandbookRepository,
    private readonly attachments: RecordAttachmentsService,
    private readonly norms: NormsService,
    private readonly plans: BranchPlansService,
    private readonly members: BranchMembersService,
    private readonly org: OrgRepository,
    private readonly labels: UserLabelsService,
  ) {}

  async export(branchId: string, year: number, format: 'pdf' | 'xlsx', actor: AuthUser): Promise<{ bytes: Buffer; fileName: string }> {
    const branch = await this.scope.branch(branchId, actor, 'read');
    const content = await this.content(branch.id, branch.unitId, branch.name, year, format === 'pdf');
    return format === 'pdf'
      ? { bytes: await renderHandbookPdf(content), fileName: `${branch.name}${year}年党支部工作手册.pdf` }
      : { bytes: await renderLedgerXlsx(content), fileName: `${branch.name}${year}年工作纪实台账.xlsx` };
  }

  private async content(branchId: string, unitId: string, branchName: string, year: number, withPhotos: boolean): Promise<HandbookContent> {
    const [records, norms, stored, members, names] = await Promise.all([
      this.handbook.yearOfBranch(branchId, year),
      this.norms.forYear(year),
      this.plans.storedPlan(branchId, year),
      this.members.currentMembers(branchId),
      this.org.namesByIds([unitId], []),
    ]);
    const ids = records.map((r) => r.id);
    const [attendance, attachments, corrections] = await Promise.all([this.handbook.attendanceOf(ids), this.handbook.attachmentsOf(ids), this.handbook.correctionsOf(ids)]);
    const authors = await this.labels.byIds([...new Set(corrections.map((c) => c.authorId))]);
    const kindName = (kind: string) => norms.items.find((n) => n.kind === kind)?.name ?? (kind === OTHER_KIND ? '其他活动' : kind === 'own' ? '自定主题' : kind);
    const items = stored?.items ?? [];
    const accepted = new Set(records.filter((r) => r.status === 'accepted' && r.planItemId).map((r) => r.planItemId));
    const photoBytes = new Map<string, Buffer | null>();
    if (withPhotos) {
      // Each record prints its first few photos; the rest are named (a year of full-size phone photos would
      // make a file nobody can open, and be held in memory while it is drawn).
      for (const id of ids) {
        const drawn = attachments.filter((a) => a.recordId === id && a.kind !== 'document' && DRAWABLE.has(a.mimeType)).slice(0, PRINTED_PHOTOS_PER_RECORD);
        for (const a of drawn) photoBytes.set(a.id, await this.attachments.bytesOf(a).catch(() => null));
      }
    }
    return {
      unitName: names.units.get(unitId) ?? '',
      branchName,
      year,
      members: { full: members.filter((m) => m.category === 'full').length, probationary: members.filter((m) => m.category === 'probationary').length },
      plan: stored
        ? { status: PLAN_STATUS_NAMES[stored.plan.status] ?? stored.plan.status, items: items.map((i) => ({ month: i.month, kindName: kindName(i.kind), title: i.title, done: accepted.has(i.id) })) }
        : null,
      generatedAt: new Date(),
      records: records.map((r) => {
        const mine = attendance.filter((a) => a.recordId === r.id);
        const files = attachments.filter((a) => a.recordId === r.id);
        const item = r.planItemId ? items.find((i) => i.id === r.planItemId) : undefined;
        return {
          title: r.title,
          kindName: kindName(r.kind),
          heldAt: r.heldAt,
          place: r.place,
          chair: r.chair,
          recorder: r.recorder,
          status: STATUS_NAMES[r.status],
          planItem: item ? `${item.month}月 ${item.title}` : null,
          present: mine.filter((a) => a.present).map((a) => ({ name: a.memberName, category: a.category })),
          absent: mine.filter((a) => !a.present).map((a) => ({ name: a.memberName, category: a.category, reason: a.reason })),
          minutes: r.minutes,
          resolutions: r.resolutions,
          reviewComment: r.reviewComment,
          reviewedAt: r.reviewedAt,
          photos: files.filter((a) => a.kind !== 'document').map((a) => ({ fileName: a.fileName, bytes: photoBytes.get(a.id) ?? null })),
          documents: files.filter((a) => a.kind === 'document').map((a) => a.fileName),
          corrections: corrections
            .filter((c) => c.recordId === r.id)
            .map((c) => ({ at: c.createdAt, field: c.field, oldValue: c.oldValue, newValue: c.newValue, reason: c.reason, author: authors.get(c.authorId)?.name ?? '' })),
        };
      }),
    };
  }
}
