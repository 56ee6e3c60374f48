import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/** A learner's stored figures in a course, as the enrolments list shows them. */
export interface LearnerFigures {
  requiredDone: number;
  requiredTotal: number;
  creditHours: number;
  completed: boolean;
}

/**
 * Where the enrolments list reads its learners' figures from. The progress module keeps them and sits above
 * enrollments (it reacts to enrolment through events and asks this module's repository who is enrolled), so
 * enrollments cannot import it: progress registers its source with @LearnerFiguresSource(), found at start-up.
 */
export interface LearnerFiguresReader {
  /** A page's learners' figures in one course, by user id (absent: no figures yet). */
  figuresOf(courseId: string, userIds: string[]): Promise<Map<string, LearnerFigures>>;
}

/** Marks the provider implementing LearnerFiguresReader. */
export const LearnerFiguresSource = DiscoveryService.createDecorator<void>();

@Injectable()
export class LearnerFiguresSources implements OnModuleInit {
  private reader: LearnerFiguresReader | null = null;

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const [wrapper] = this.discovery.getProviders({ metadataKey: LearnerFiguresSource.KEY }).filter((w) => w.instance);
    this.reader = (wrapper?.instance as LearnerFiguresReader | undefined) ?? null;
  }

  /** The figures by user id; none when no module keeps them (an application without progress). */
  figuresOf(courseId: string, userIds: string[]): Promise<Map<string, LearnerFigures>> {
    return this.reader ? this.reader.figuresOf(courseId, userIds) : Promise.resolve(new Map());
  }
}
