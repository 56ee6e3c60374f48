import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Branch } from './branch.entity';
import { Unit } from './unit.entity';

/** The units and branches tables as the command-line tools (the demo seed) ask them. */
@Injectable()
export class OrgCliRepository {
  constructor(
    @InjectRepository(Unit) private readonly units: Repository<Unit>,
    @InjectRepository(Branch) private readonly branches: Repository<Branch>,
  ) {}

  // for cli
  unitByCode(code: string): Promise<Unit | null> {
    return this.units.findOneBy({ code });
  }

  branchByCode(code: string): Promise<Branch | null> {
    return this.branches.findOneBy({ code });
  }
}
