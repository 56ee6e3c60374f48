import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../common/access.decorators';
import type { AuthUser } from '../common/auth-user';
import { IdPipe } from '../common/id.pipe';
import { ActivitiesService } from './activities.service';
import { CoursesService } from './courses.service';
import { CreateActivityDto, UpdateActivityDto } from './dto/activity.dto';
import { CreateCourseDto, CreateSectionDto, InstructorsDto, ListCoursesQuery, UpdateCourseDto, UpdateSectionDto } from './dto/course.dto';
import { ActivityResponse, ClosedCourseResponse, CourseDetailResponse, CoursePageResponse, CourseResponse, PublishedCourseResponse, SectionResponse } from './dto/course.response';

@ApiTags('courses')
@Controller('courses')
export class CoursesController {
  constructor(
    private readonly courses: CoursesService,
    private readonly activities: ActivitiesService,
  ) {}

  @Post()
  @Authenticated('instructor', 'admin')
  @ApiCreatedResponse({ type: CourseResponse })
  create(@Body() dto: CreateCourseDto, @CurrentUser() actor: AuthUser) {
    return this.courses.create(dto, actor);
  }

  /** Courses the caller may see: secretaries their enrolled, published ones; instructors theirs; admins all. */
  @Get()
  @Authenticated()
  @ApiOkResponse({ type: CoursePageResponse })
  list(@Query() query: ListCoursesQuery, @CurrentUser() actor: AuthUser) {
    return this.courses.list(query, actor);
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: CourseDetailResponse })
  detail(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.courses.detail(id, actor);
  }

  @Patch(':id')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CourseResponse })
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdateCourseDto, @CurrentUser() actor: AuthUser) {
    return this.courses.update(id, dto, actor);
  }

  /** 400 listing every problem of the plan (`problems: [{activityId, field, message}]`) when it is not sound. */
  @Post(':id/publish')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: PublishedCourseResponse })
  publish(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.courses.publish(id, actor);
  }

  /** Closes now (the worker closes it by itself at endsAt + grace) and freezes the results. */
  @Post(':id/close')
  @HttpCode(200)
  @Authenticated('admin')
  @ApiOkResponse({ type: ClosedCourseResponse })
  close(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.courses.close(id, actor);
  }

  @Post(':id/instructors')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CourseResponse })
  addInstructors(@Param('id', IdPipe) id: string, @Body() dto: InstructorsDto, @CurrentUser() actor: AuthUser) {
    return this.courses.setInstructors(id, dto.userIds, actor, 'add');
  }

  @Delete(':id/instructors/:userId')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: CourseResponse })
  removeInstructor(@Param('id', IdPipe) id: string, @Param('userId', IdPipe) userId: string, @CurrentUser() actor: AuthUser) {
    return this.courses.setInstructors(id, [userId], actor, 'remove');
  }

  @Post(':id/sections')
  @Authenticated('instructor', 'admin')
  @ApiCreatedResponse({ type: SectionResponse })
  createSection(@Param('id', IdPipe) id: string, @Body() dto: CreateSectionDto, @CurrentUser() actor: AuthUser) {
    return this.courses.createSection(id, dto, actor);
  }

  @Post(':id/activities')
  @Authenticated('instructor', 'admin')
  @ApiCreatedResponse({ type: ActivityResponse })
  createActivity(@Param('id', IdPipe) id: string, @Body() dto: CreateActivityDto, @CurrentUser() actor: AuthUser) {
    return this.activities.create(id, dto as unknown as Record<string, unknown>, actor);
  }
}

@ApiTags('courses')
@Controller('sections')
@Authenticated('instructor', 'admin')
export class SectionsController {
  constructor(private readonly courses: CoursesService) {}

  @Patch(':id')
  @ApiOkResponse({ type: SectionResponse })
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdateSectionDto, @CurrentUser() actor: AuthUser) {
    return this.courses.updateSection(id, dto, actor);
  }

  /** 409 while the section still holds activities. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  delete(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.courses.deleteSection(id, actor);
  }
}

@ApiTags('courses')
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ActivityResponse })
  get(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.activities.get(id, actor);
  }

  @Patch(':id')
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ActivityResponse })
  update(@Param('id', IdPipe) id: string, @Body() dto: UpdateActivityDto, @CurrentUser() actor: AuthUser) {
    return this.activities.update(id, dto as unknown as Record<string, unknown>, actor);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ActivityResponse })
  archive(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.activities.setArchived(id, true, actor);
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  @Authenticated('instructor', 'admin')
  @ApiOkResponse({ type: ActivityResponse })
  unarchive(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.activities.setArchived(id, false, actor);
  }

  /** 409 when learners have records in it: archive instead. */
  @Delete(':id')
  @HttpCode(204)
  @Authenticated('instructor', 'admin')
  @ApiNoContentResponse()
  delete(@Param('id', IdPipe) id: string, @CurrentUser() actor: AuthUser) {
    return this.activities.delete(id, actor);
  }
}
