import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ADMIN_ONLY, IS_PUBLIC } from '../common/decorators';
import { apiError } from '../common/error-codes';
import { perRoute } from '../common/route-cache';
import { currentAuth, RequestAuth, setCurrentAuth } from '../common/request-context';

/**
 * Deny by default: every route needs a valid bearer access token unless marked @Public(). No token at
 * all is a 403 "Not authenticated" (what the seed's clients expect); a bad one is a 401.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  /** The route's @Public() and @AdminOnly(), read on its first request. */
  private readonly accessOf = perRoute((handler, controller) => ({
    isPublic: this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [handler, controller]) === true,
    adminOnly: this.reflector.getAllAndOverride<boolean | undefined>(ADMIN_ONLY, [handler, controller]) === true,
  }));

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.accessOf(context);
    if (access.isPublic) {
      return true;
    }
    await super.canActivate(context);
    if (access.adminOnly && !currentAuth()?.user.isAdmin) {
      throw apiError('admin_required');
    }
    return true;
  }

  override handleRequest<TUser = RequestAuth>(err: unknown, auth: RequestAuth | false, info: unknown): TUser {
    if (err instanceof HttpException) {
      throw err;
    }
    if (err || !auth) {
      if (info instanceof Error && info.message === 'No auth token') {
        throw apiError('not_authenticated');
      }
      throw apiError('invalid_token');
    }
    setCurrentAuth(auth);
    return auth as TUser;
  }
}
