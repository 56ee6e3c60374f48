import { useState } from 'react';
import { api, type Page } from '../api';
import { useI18n } from '../i18n';
import { Field, Loaded, Pager, SearchBox, useLoad } from '../ui';

const PAGE_SIZE = 20;

interface Unit {
  id: string;
  name: string;
  code: string;
}
interface Branch {
  id: string;
  unitId: string;
  unit?: { id: string; name: string };
  name: string;
  code: string;
  kind: 'staff' | 'student';
}
interface Person {
  id: string;
  username: string;
  name: string;
  role: string;
  email: string | null;
  active: boolean;
  branch: { id: string; name: string } | null;
  unit: { id: string; name: string } | null;
}

/** Every unit the caller may see, for filters and enrolment (at most a few hundred). */
export function useUnits() {
  return useLoad(() => api<Page<Unit>>('/units', { query: { pageSize: 100 } }), []);
}

export function UnitsPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const state = useLoad(() => api<Page<Unit>>('/units', { query: { q, page, pageSize: PAGE_SIZE } }), [q, page]);
  return (
    <section>
      <h1>{t('unitsTitle')}</h1>
      <div className="toolbar">
        <SearchBox value={q} onSearch={(v) => { setQ(v); setPage(1); }} />
      </div>
      <Loaded state={state}>
        {(data) => (
          <>
            <table className="table responsive">
              <thead>
                <tr>
                  <th scope="col">{t('colName')}</th>
                  <th scope="col">{t('colCode')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((u) => (
                  <tr key={u.id}>
                    <th scope="row" data-label={t('colName')}>{u.name}</th>
                    <td data-label={t('colCode')}>{u.code}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.items.length === 0 && <p className="empty">{t('none')}</p>}
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}

export function BranchesPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [unitId, setUnitId] = useState('');
  const [page, setPage] = useState(1);
  const units = useUnits();
  const state = useLoad(() => api<Page<Branch>>('/branches', { query: { q, unitId, page, pageSize: PAGE_SIZE } }), [q, unitId, page]);
  return (
    <section>
      <h1>{t('branchesTitle')}</h1>
      <div className="toolbar">
        <SearchBox value={q} onSearch={(v) => { setQ(v); setPage(1); }} />
        <Field label={t('filterUnit')}>
          {(p) => (
            <select {...p} value={unitId} onChange={(e) => { setUnitId(e.target.value); setPage(1); }}>
              <option value="">{t('all')}</option>
              {units.data?.items.map((u) => (
                <option key={u.id} value={u.id}>{u.name}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Loaded state={state}>
        {(data) => (
          <>
            <table className="table responsive">
              <thead>
                <tr>
                  <th scope="col">{t('colName')}</th>
                  <th scope="col">{t('colCode')}</th>
                  <th scope="col">{t('colUnit')}</th>
                  <th scope="col">{t('colBranchKind')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((b) => (
                  <tr key={b.id}>
                    <th scope="row" data-label={t('colName')}>{b.name}</th>
                    <td data-label={t('colCode')}>{b.code}</td>
                    <td data-label={t('colUnit')}>{b.unit?.name ?? '—'}</td>
                    <td data-label={t('colBranchKind')}>{b.kind === 'student' ? t('kindStudent') : t('kindStaff')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.items.length === 0 && <p className="empty">{t('none')}</p>}
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}

export function PeoplePage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [unitId, setUnitId] = useState('');
  const [page, setPage] = useState(1);
  const units = useUnits();
  const state = useLoad(() => api<Page<Person>>('/users', { query: { q, role, unitId, page, pageSize: PAGE_SIZE } }), [q, role, unitId, page]);
  const roleLabel = (r: string) => (r === 'admin' ? t('roleAdmin') : r === 'instructor' ? t('roleInstructor') : t('roleSecretary'));
  return (
    <section>
      <h1>{t('peopleTitle')}</h1>
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
        <Field label={t('filterUnit')}>
          {(p) => (
            <select {...p} value={unitId} onChange={(e) => { setUnitId(e.target.value); setPage(1); }}>
              <option value="">{t('all')}</option>
              {units.data?.items.map((u) => (
                <option key={u.id} value={u.id}>{u.name}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Loaded state={state}>
        {(data) => (
          <>
            <table className="table responsive">
              <thead>
                <tr>
                  <th scope="col">{t('colUsername')}</th>
                  <th scope="col">{t('colPersonName')}</th>
                  <th scope="col">{t('colRole')}</th>
                  <th scope="col">{t('colUnit')}</th>
                  <th scope="col">{t('colBranch')}</th>
                  <th scope="col">{t('colEmail')}</th>
                  <th scope="col">{t('colActive')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((u) => (
                  <tr key={u.id}>
                    <td data-label={t('colUsername')}>{u.username}</td>
                    <th scope="row" data-label={t('colPersonName')}>{u.name}</th>
                    <td data-label={t('colRole')}>{roleLabel(u.role)}</td>
                    <td data-label={t('colUnit')}>{u.unit?.name ?? '—'}</td>
                    <td data-label={t('colBranch')}>{u.branch?.name ?? '—'}</td>
                    <td data-label={t('colEmail')}>{u.email ?? '—'}</td>
                    <td data-label={t('colActive')}>{u.active ? t('active') : t('inactive')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {data.items.length === 0 && <p className="empty">{t('none')}</p>}
            <Pager page={page} pageSize={PAGE_SIZE} total={data.total} onPage={setPage} />
          </>
        )}
      </Loaded>
    </section>
  );
}
