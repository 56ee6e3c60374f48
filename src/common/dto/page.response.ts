import { ApiProperty } from '@nestjs/swagger';

/**
 * The paging fields of every list (`Page<T>` in ../pagination.ts). Each list declares its own class extending
 * this one with its `items`, so the OpenAPI document (and the client generated from it) names each list.
 */
export abstract class PageResponse {
  @ApiProperty({ description: 'every matching row, all pages' })
  total: number;

  @ApiProperty()
  page: number;

  @ApiProperty()
  pageSize: number;
}
