import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { User } from './user.entity';

/** The users table as the command-line tools (the demo seed) ask it. */
@Injectable()
export class UsersCliRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  // for cli
  findByUsername(username: string): Promise<User | null> {
    return this.users.findOneBy({ username });
  }
}
