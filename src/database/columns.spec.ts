import { Column, getMetadataArgsStorage, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { IdColumn, RefColumn } from './columns';

class Parent {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;
}

class LongForm {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id: string;

  @Column({ name: 'parent_id', type: 'bigint', unsigned: true, nullable: true })
  parentId: string | null;

  @ManyToOne(() => Parent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Parent;

  @PrimaryColumn({ name: 'owner_id', type: 'bigint', unsigned: true })
  ownerId: string;

  @ManyToOne(() => Parent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id' })
  owner?: Parent;

  @Column({ name: 'other_id', type: 'bigint', unsigned: true, unique: true })
  otherId: string;
}

class ShortForm {
  @IdColumn()
  id: string;

  @RefColumn('parent_id', { nullable: true, references: () => Parent, onDelete: 'CASCADE' })
  parentId: string | null;

  @RefColumn('owner_id', { primary: true, references: () => Parent })
  ownerId: string;

  @RefColumn('other_id', { unique: true })
  otherId: string;
}

/** What TypeORM recorded for a class, without the class itself, relation targets resolved. */
function metadataOf(target: Function) {
  const storage = getMetadataArgsStorage();
  const own = <T extends { target: Function | string }>(args: T[]) =>
    args.filter((a) => a.target === target).map(({ target: _target, ...rest }) => rest);
  const byProperty = (a: { propertyName: string }, b: { propertyName: string }) => a.propertyName.localeCompare(b.propertyName);
  return {
    columns: own(storage.columns).sort(byProperty),
    generations: own(storage.generations).sort(byProperty),
    joinColumns: own(storage.joinColumns).sort(byProperty),
    relations: own(storage.relations)
      .map(({ type, ...rest }) => ({ ...rest, type: (type as () => unknown)() }))
      .sort(byProperty),
  };
}

describe('IdColumn and RefColumn', () => {
  it('record the same TypeORM metadata as the long form they stand for', () => {
    const long = metadataOf(LongForm);
    expect(long.columns).toHaveLength(4);
    expect(long.relations).toHaveLength(2);
    expect(metadataOf(ShortForm)).toEqual(long);
  });
});
