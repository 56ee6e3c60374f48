import { BadRequestException, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';

/** passport-local, after checking the body's shape so a malformed request is a 400 naming the field. */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    const body = context.switchToHttp().getRequest<{ body?: Record<string, unknown> }>().body;
    const problems: string[] = [];
    for (const field of ['username', 'password']) {
      const value = body?.[field];
      if (typeof value !== 'string' || value.length === 0) problems.push(`${field} must be a non-empty string`);
      else if (value.length > 256) problems.push(`${field} must be at most 256 characters`);
    }
    if (problems.length) throw new BadRequestException({ message: problems, code: 'VALIDATION_FAILED' });
    return super.canActivate(context);
  }
}
