import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { ActivityType } from '../access/course-rows';

/**
 * What an activity module recorded of a learner beyond their progress state, for the learning record to say
 * where an activity stands (a session's attendance: present, absent, excused). Those modules sit above
 * progress and cannot be imported: each registers its reader with @ActivityMarksSource(type), found at start-up.
 */
export interface ActivityMarksReader {
  /** The learner's marks in these activities (all of the reader's type), by activity id; none: no entry. */
  marksOf(userId: string, activityIds: string[]): Promise<Map<string, string>>;
}

/** Marks a provider implementing ActivityMarksReader for the activities of one type. */
export const ActivityMarksSource = DiscoveryService.createDecorator<ActivityType>();

@Injectable()
export class ActivityMarks implements OnModuleInit {
  private readonly readers: { type: ActivityType; reader: ActivityMarksReader }[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: ActivityMarksSource.KEY })) {
      const type = this.discovery.getMetadataByDecorator(ActivityMarksSource, wrapper);
      if (type && wrapper.instance) this.readers.push({ type, reader: wrapper.instance as ActivityMarksReader });
    }
  }

  /** The learner's marks in these activities, by activity id, one query per registered type that has some. */
  async marksOf(userId: string, activities: { id: string; type: string }[]): Promise<Map<string, string>> {
    const all = new Map<string, string>();
    for (const { type, reader } of this.readers) {
      const ids = activities.filter((a) => a.type === type).map((a) => a.id);
      if (ids.length) for (const [id, mark] of await reader.marksOf(userId, ids)) all.set(id, mark);
    }
    return all;
  }
}
