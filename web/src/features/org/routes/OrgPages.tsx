import { useState, type FormEvent } from 'react';
import { api, type Page, type Role } from '../../../api/client';
import { type Translate, useI18n } from '../../../i18n';
import { PagedTable } from '../../../shared/PagedTable';
import { useAuth } from '../../../shared/auth';
import { CopyButton, Dialog, Loaded, Spinner } from '../../../shared/components';
import { errorText, toApiError } from '../../../shared/errors';
import { formatDateTime } from '../../../shared/format';
import { Field, FormError, Notice, SearchBox, SelectField, useFormSubmit } from '../../../shared/forms';
import { useApi, useApiAll } from '../../../shared/queries';
import type { Schema } from '../../../api/types';
import { NameAndCodeForm, type NameAndCode } from '../components/NameAndCodeForm';

const PAGE_SIZE = 20;

type Unit = Schema<'UnitResponse'>;
type Branch = Schema<'BranchResponse'>;
type Person = Schema<'UserResponse'>;
interface InitialPassword {
  name: string;
  username: string;
  initialPassword: string;
  expiresAt: string;
}

/** Every unit the caller may see, for filters and enrolment (at most a few hundred). */
export function useUnits() {
  return useApiAll<Unit>('/units');
}

function useDepartment(): boolean {
  const { me } = useAuth();
  return me?.role === 'admin' && !me.unitId;
}

/** The department's filter of a list by unit. */
/** The units as a select's choices: id and name. */
const unitOptions = (units: Unit[]): Array<[string, string]> => units.map((u) => [u.id, u.name]);

function UnitFilter({ units, value, onChange }: { units: Unit[]; value: string; onChange: (unitId: string) => void }) {
  const { t } = useI18n();
  return <SelectField label={t('filterUnit')} value={value} options={unitOptions(units)} empty={t('all')} onChange={onChange} />;
}

/** A list page's edit dialog and notice: once a row is saved, say so, close the dialog and reload the list. */
function useSavedRows<T>(reload: () => void) {
  const [editing, setEditing] = useState<T>();
  const [notice, setNotice] = useState<string>();
  const done = (message: string) => {
    setNotice(message);
    setEditing(undefined);
    reload();
  };
  return { editing, setEditing, notice, done };
}

function roleLabel(role: string, t: Translate): string {
  return role === 'admin' ? t('roleAdmin') : role === 'instructor' ? t('roleInstructor') : t('roleSecretary');
}

// ---- Units ----

export function UnitsPage() {
  const { t } = useI18n();
  const department = useDepartment();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const state = useApi<Page<Unit>>('/units', { q, page, pageSize: PAGE_SIZE });
  const { editing, setEditing, notice, done } = useSavedRows<Unit>(() => state.refetch());
  return (
    <section>
      <h1>{t('unitsTitle')}</h1>
      {department && <UnitForm onSaved={(u) => done(t('orgCreated', { name: u.name }))} />}
      {notice && <Notice>{notice}</Notice>}
      <div className="toolbar">
        <SearchBox value={q} onSearch={(v) => { setQ(v); setPage(1); }} />
      </div>
      <Loaded state={state}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="units" rowKey={(u) => u.id}
            columns={[
              { header: t('colName'), rowHeader: true, cell: (u) => u.name },
              { header: t('colCode'), cell: (u) => u.code },
              { header: t('peopleActions'), hidden: !department, cell: (u) => <EditButton name={u.name} onClick={() => setEditing(u)} /> },
            ]}
          />
        )}
      </Loaded>
      {editing && (
        <Dialog title={t('orgEditUnit')} onClose={() => setEditing(undefined)}>
          <UnitForm unit={editing} onSaved={(u) => done(t('orgSaved', { name: u.name }))} />
        </Dialog>
      )}
    </section>
  );
}

function UnitForm({ unit, onSaved }: { unit?: Unit; onSaved: (unit: Unit) => void }) {
  const { t } = useI18n();
  const form = useFormSubmit(['name', 'code'], { fields: { name: t('orgNameInvalid'), code: t('orgCodeInvalid') }, codeFields: { UNIT_EXISTS: 'name' } });
  return (
    <NameAndCodeForm
      existing={unit}
      titles={{ create: t('orgNewUnit'), edit: t('orgEditUnit') }}
      form={form}
      onSaved={onSaved}
      save={(body) => (unit ? api<Unit>(`/units/${unit.id}`, { method: 'PATCH', body }) : api<Unit>('/units', { method: 'POST', body }))}
    />
  );
}

// ---- Branches ----

export function BranchesPage() {
  const { t } = useI18n();
  const department = useDepartment();
  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState('');
  const [page, setPage] = useState(1);
  const units = useUnits();
  const state = useApi<Page<Branch>>('/branches', { q, unitId, page, pageSize: PAGE_SIZE });
  const { editing, setEditing, notice, done } = useSavedRows<Branch>(() => state.refetch());
  return (
    <section>
      <h1>{t('branchesTitle')}</h1>
      {!department && <p className="muted">{t('peopleUnitAdminHint')}</p>}
      <BranchForm units={units.data?.items ?? []} department={department} onSaved={(b) => done(t('orgCreated', { name: b.name }))} />
      {notice && <Notice>{notice}</Notice>}
      <div className="toolbar">
        <SearchBox value={q} onSearch={(v) => { setQ(v); setPage(1); }} />
        {department && <UnitFilter units={units.data?.items ?? []} value={unitId} onChange={(v) => { setUnitId(v); setPage(1); }} />}
      </div>
      <Loaded state={state}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} testId="branches" rowKey={(b) => b.id}
            columns={[
              { header: t('colName'), rowHeader: true, cell: (b) => b.name },
              { header: t('colCode'), cell: (b) => b.code },
              { header: t('colUnit'), cell: (b) => b.unit?.name ?? '—' },
              { header: t('colBranchKind'), cell: (b) => (b.kind === 'student' ? t('kindStudent') : t('kindStaff')) },
              { header: t('peopleActions'), cell: (b) => <EditButton name={b.name} onClick={() => setEditing(b)} /> },
            ]}
          />
        )}
      </Loaded>
      {editing && (
        <Dialog title={t('orgEditBranch')} onClose={() => setEditing(undefined)}>
          <BranchForm branch={editing} units={units.data?.items ?? []} department={department} onSaved={(b) => done(t('orgSaved', { name: b.name }))} />
        </Dialog>
      )}
    </section>
  );
}

/** Create or edit a branch; only the department chooses (or changes) its unit, a unit admin's is their own. */
function BranchForm({ branch, units, department, onSaved }: { branch?: Branch; units: Unit[]; department: boolean; onSaved: (branch: Branch) => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const [unitId, setUnitId] = useState(branch?.unitId ?? '');
  const [kind, setKind] = useState<Branch['kind']>(branch?.kind ?? 'staff');
  const form = useFormSubmit(['unitId', 'name', 'code'], {
    fields: { unitId: t('fieldRequired'), name: t('orgNameInvalid'), code: t('orgCodeInvalid') },
    codeFields: { BRANCH_EXISTS: 'name', UNIT_NOT_FOUND: 'unitId' },
  });
  const chosenUnit = department ? unitId : (me?.unitId ?? '');
  function ready() {
    if (!chosenUnit) form.setFields({ unitId: [t('fieldRequired')] });
    return Boolean(chosenUnit);
  }
  async function save(values: NameAndCode) {
    const body = { ...values, kind, ...(department ? { unitId: chosenUnit } : {}) };
    return branch
      ? api<Branch>(`/branches/${branch.id}`, { method: 'PATCH', body })
      : api<Branch>('/branches', { method: 'POST', body: { ...body, unitId: chosenUnit } });
  }
  return (
    <NameAndCodeForm
      existing={branch}
      titles={{ create: t('orgNewBranch'), edit: t('orgEditBranch') }}
      form={form}
      ready={ready}
      save={save}
      onSaved={onSaved}
      before={
        department ? (
          <SelectField label={t('colUnit')} errors={form.fields.unitId} value={unitId} required options={unitOptions(units)} empty="—" onChange={setUnitId} />
        ) : (
          <p className="muted">
            {t('colUnit')}：{me?.unit?.name ?? t('orgUnitOwn')}
          </p>
        )
      }
      after={
        <Field label={t('colBranchKind')}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as Branch['kind'])}>
              <option value="staff">{t('kindStaff')}</option>
              <option value="student">{t('kindStudent')}</option>
            </select>
          )}
        </Field>
      }
    />
  );
}

// ---- People ----

type PersonDialog = { kind: 'add' } | { kind: 'edit'; person: Person } | { kind: 'active'; person: Person } | { kind: 'reset'; person: Person } | { kind: 'password'; result: InitialPassword };

export function PeoplePage() {
  const { t } = useI18n();
  const department = useDepartment();
  const { me } = useAuth();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [unitId, setUnitId] = useState('');
  const [active, setActive] = useState('');
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<PersonDialog>();
  const [notice, setNotice] = useState<string>();
  const units = useUnits();
  const state = useApi<Page<Person>>('/users', { q, role, unitId, active, page, pageSize: PAGE_SIZE });
  const changed = (message: string, next?: PersonDialog) => {
    setNotice(message);
    setDialog(next);
    state.refetch();
  };
  return (
    <section>
      <div className="page-head">
        <h1>{t('peopleTitle')}</h1>
        <div className="actions">
          <button type="button" className="button primary" onClick={() => { setNotice(undefined); setDialog({ kind: 'add' }); }}>
            {t('peopleAdd')}
          </button>
        </div>
      </div>
      {!department && <p className="muted">{t('peopleUnitAdminHint')}</p>}
      {notice && <Notice>{notice}</Notice>}
      <div className="toolbar">
        <SearchBox value={q} onSearch={(v) => { setQ(v); setPage(1); }} />
        <Field label={t('filterRole')}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => { setRole(e.target.value); setPage(1); }}>
              <option value="">{t('all')}</option>
              <option value="secretary">{t('roleSecretary')}</option>
              <option value="instructor">{t('roleInstructor')}</option>
              <option value="admin">{t('roleAdmin')}</option>
            </select>
          )}
        </Field>
        {department && <UnitFilter units={units.data?.items ?? []} value={unitId} onChange={(v) => { setUnitId(v); setPage(1); }} />}
        <Field label={t('peopleFilterActive')}>
          {(p) => (
            <select {...p} value={active} onChange={(e) => { setActive(e.target.value); setPage(1); }}>
              <option value="">{t('all')}</option>
              <option value="true">{t('active')}</option>
              <option value="false">{t('inactive')}</option>
            </select>
          )}
        </Field>
      </div>
      <Loaded state={state}>
        {(data) => (
          <PagedTable data={data} empty={t('none')} page={page} pageSize={PAGE_SIZE} onPage={setPage} busy={state.isFetching} testId="people" rowKey={(u) => u.id} rowClassName={(u) => (u.active ? undefined : 'row-inactive')}
            columns={[
              { header: t('colUsername'), cell: (u) => u.username },
              { header: t('colPersonName'), rowHeader: true, cell: (u) => u.name },
              { header: t('colRole'), cell: (u) => (u.role === 'admin' && u.unitId ? t('roleUnitAdmin') : roleLabel(u.role, t)) },
              { header: t('colUnit'), cell: (u) => u.unit?.name ?? '—' },
              { header: t('colBranch'), cell: (u) => u.branch?.name ?? '—' },
              { header: t('colEmail'), cell: (u) => u.email ?? '—' },
              { header: t('colActive'), cell: (u) => <span className={`badge ${u.active ? 'state-completed' : 'badge-overdue'}`}>{u.active ? t('active') : t('inactive')}</span> },
              {
                header: t('peopleActions'),
                cell: (u) =>
                  u.id !== me?.id && (
                    <span className="row-actions">
                      <button type="button" className="button link" aria-label={`${t('edit')} ${u.name}`} onClick={() => setDialog({ kind: 'edit', person: u })}>
                        {t('edit')}
                      </button>
                      <button type="button" className="button link" aria-label={`${u.active ? t('peopleDeactivate') : t('peopleReactivate')} ${u.name}`} onClick={() => setDialog({ kind: 'active', person: u })}>
                        {u.active ? t('peopleDeactivate') : t('peopleReactivate')}
                      </button>
                      <button type="button" className="button link" aria-label={`${t('peopleResetPassword')} ${u.name}`} onClick={() => setDialog({ kind: 'reset', person: u })}>
                        {t('peopleResetPassword')}
                      </button>
                    </span>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      {dialog?.kind === 'add' && (
        <Dialog title={t('peopleAdd')} onClose={() => setDialog(undefined)} wide>
          <PersonForm
            units={units.data?.items ?? []}
            department={department}
            onSaved={(person, initialPassword, expiresAt) =>
              changed(t('peopleAdded', { name: person.name }), initialPassword ? { kind: 'password', result: { name: person.name, username: person.username, initialPassword, expiresAt: expiresAt ?? '' } } : undefined)
            }
          />
        </Dialog>
      )}
      {dialog?.kind === 'edit' && (
        <Dialog title={t('peopleEdit', { name: dialog.person.name })} onClose={() => setDialog(undefined)} wide>
          <PersonForm person={dialog.person} units={units.data?.items ?? []} department={department} onSaved={(person) => changed(t('peopleSaved', { name: person.name }))} />
        </Dialog>
      )}
      {dialog?.kind === 'active' && <ActiveDialog person={dialog.person} onClose={() => setDialog(undefined)} onDone={changed} />}
      {dialog?.kind === 'reset' && (
        <ResetDialog person={dialog.person} onClose={() => setDialog(undefined)} onDone={(result) => setDialog({ kind: 'password', result })} />
      )}
      {dialog?.kind === 'password' && <PasswordOnce result={dialog.result} onClose={() => setDialog(undefined)} />}
    </section>
  );
}

/** Add one person, or edit one (a new branch moves them, their unit follows the branch). */
function PersonForm({ person, units, department, onSaved }: { person?: Person; units: Unit[]; department: boolean; onSaved: (person: Person, initialPassword?: string, expiresAt?: string) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState(person?.username ?? '');
  const [name, setName] = useState(person?.name ?? '');
  const [role, setRole] = useState<Role>(person?.role ?? 'secretary');
  const [unitId, setUnitId] = useState(person?.unitId ?? '');
  const [branchId, setBranchId] = useState(person?.branchId ?? '');
  const [email, setEmail] = useState(person?.email ?? '');
  const [phone, setPhone] = useState(person?.phone ?? '');
  const branches = useApiAll<Branch>('/branches', { unitId: department ? unitId : undefined }, { enabled: !department || Boolean(unitId) });
  const form = useFormSubmit(['username', 'name', 'role', 'email', 'phone', 'branchId', 'unitId'], {
    fields: {
      username: t('peopleUsernameInvalid'),
      name: t('peopleNameInvalid'),
      role: t('peopleRoleInvalid'),
      email: t('peopleEmailInvalid'),
      phone: t('peoplePhoneInvalid'),
      branchId: t('peopleBranchInvalid'),
      unitId: t('fieldRequired'),
    },
    codeFields: { USERNAME_TAKEN: 'username', BRANCH_NOT_FOUND: 'branchId', UNIT_MISMATCH: 'branchId', UNIT_NOT_FOUND: 'unitId', SELF_CHANGE: 'role' },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (role === 'secretary' && !branchId) {
      form.setFields({ branchId: [t('peopleBranchInvalid')] });
      return;
    }
    const placement = branchId ? { branchId } : department ? { branchId: person ? null : undefined, unitId: unitId || null } : {};
    void form.run(async () => {
      if (person) {
        const saved = await api<Person>(`/users/${person.id}`, { method: 'PATCH', body: { name, role, email, phone, ...placement } });
        onSaved(saved);
      } else {
        const created = await api<Person & { initialPassword?: string; initialPasswordExpiresAt?: string }>('/users', {
          method: 'POST',
          body: { username, name, role, email: email || undefined, phone: phone || undefined, ...(branchId ? { branchId } : unitId ? { unitId } : {}) },
        });
        onSaved(created, created.initialPassword, created.initialPasswordExpiresAt);
      }
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={person ? t('peopleEdit', { name: person.name }) : t('peopleAdd')}>
      {!person && <p className="muted">{t('peopleAddHint')}</p>}
      <div className="form-grid">
        {!person && (
          <Field label={t('colUsername')} errors={form.fields.username}>
            {(p) => <input {...p} value={username} maxLength={64} required autoCapitalize="off" autoComplete="off" onChange={(e) => setUsername(e.target.value)} />}
          </Field>
        )}
        <Field label={t('colPersonName')} errors={form.fields.name}>
          {(p) => <input {...p} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('colRole')} errors={form.fields.role}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="secretary">{t('roleSecretary')}</option>
              <option value="instructor">{t('roleInstructor')}</option>
              {/* A unit admin may not create admins (the server refuses it too). */}
              {(department || role === 'admin') && <option value="admin">{department ? t('roleAdmin') : t('roleUnitAdmin')}</option>}
            </select>
          )}
        </Field>
        {department && (
          <SelectField label={t('peopleUnit')} errors={form.fields.unitId} value={unitId} options={unitOptions(units)} empty="—" onChange={(v) => { setUnitId(v); setBranchId(''); }} />
        )}
        <Field label={t('peopleBranch')} errors={form.fields.branchId}>
          {(p) => (
            <select {...p} value={branchId} onChange={(e) => setBranchId(e.target.value)}>
              <option value="">{t('peopleNoBranch')}</option>
              {branches.data?.items.map((b) => (
                <option key={b.id} value={b.id}>{b.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('colEmail')} errors={form.fields.email}>
          {(p) => <input {...p} type="email" value={email} maxLength={254} autoComplete="off" onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label={t('peoplePhone')} errors={form.fields.phone}>
          {(p) => <input {...p} type="tel" value={phone} maxLength={32} autoComplete="off" onChange={(e) => setPhone(e.target.value)} />}
        </Field>
      </div>
      <FormError messages={form.other} />
      <button type="submit" className="button primary" disabled={form.busy}>
        {form.busy ? <Spinner label={t('saving')} /> : person ? t('save') : t('orgCreate')}
      </button>
    </form>
  );
}

function ActiveDialog({ person, onClose, onDone }: { person: Person; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useI18n();
  const deactivate = person.active;
  return (
    <ConfirmDialog
      title={t(deactivate ? 'peopleDeactivateTitle' : 'peopleReactivateTitle', { name: person.name })}
      text={t(deactivate ? 'peopleDeactivateText' : 'peopleReactivateText')}
      confirm={deactivate ? t('peopleDeactivate') : t('peopleReactivate')}
      danger={deactivate}
      onClose={onClose}
      action={async () => {
        await api(`/users/${person.id}`, { method: 'PATCH', body: { active: !deactivate } });
        onDone(t(deactivate ? 'peopleDeactivated' : 'peopleReactivated', { name: person.name }));
      }}
    />
  );
}

function ResetDialog({ person, onClose, onDone }: { person: Person; onClose: () => void; onDone: (result: InitialPassword) => void }) {
  const { t } = useI18n();
  return (
    <ConfirmDialog
      title={t('peopleResetTitle', { name: person.name })}
      text={t('peopleResetText')}
      confirm={t('peopleResetConfirm')}
      onClose={onClose}
      action={async () => {
        const answer = await api<{ username: string; initialPassword: string; expiresAt: string }>(`/users/${person.id}/reset-password`, { method: 'POST' });
        onDone({ name: person.name, ...answer });
      }}
    />
  );
}

/** Asks before an action on a person; the action's error is shown in the dialog, which stays open. */
function ConfirmDialog({ title, text, confirm, danger = false, action, onClose }: { title: string; text: string; confirm: string; danger?: boolean; action: () => Promise<void>; onClose: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run() {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(errorText(toApiError(e), t));
      setBusy(false);
    }
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{text}</p>
      <FormError messages={error ? [error] : undefined} />
      <div className="actions">
        <button type="button" className={`button ${danger ? 'danger' : 'primary'}`} disabled={busy} onClick={run}>
          {busy ? <Spinner label={t('saving')} /> : confirm}
        </button>
        <button type="button" className="button secondary" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </Dialog>
  );
}

/** The one-time password, shown once: it lives only in this dialog's state and is gone when it closes. */
function PasswordOnce({ result, onClose }: { result: InitialPassword; onClose: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Dialog title={t('peopleInitialPasswordTitle', { name: result.name, username: result.username })} onClose={onClose}>
      <div className="alert alert-warn" role="alert">
        {t('peopleInitialPasswordOnce', { date: formatDateTime(result.expiresAt, lang) })}
      </div>
      <p className="one-time-password">
        <code data-testid="initial-password">{result.initialPassword}</code>
        <CopyButton text={result.initialPassword} />
      </p>
      <div className="actions">
        <button type="button" className="button secondary" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </Dialog>
  );
}

function EditButton({ name, onClick }: { name: string; onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="button link" aria-label={`${t('edit')} ${name}`} onClick={onClick}>
      {t('edit')}
    </button>
  );
}
