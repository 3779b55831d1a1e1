import { z } from 'zod';
import { idNumberSchema, serviceSchema } from '../../schemas.js';
import { residentProcedure, router } from '../../trpc.js';
import {
  delegationCandidates,
  givenDelegations,
  grantDelegation,
  receivedDelegations,
  revokeDelegation,
} from './grants.js';

const grantInput = z
  .object({
    service: serviceSchema,
    /** A member of the grantor's household, chosen from delegation.candidates. */
    granteeResidentId: z.uuid({ error: 'validation.delegation.grantee' }).optional(),
    /** An adult child outside the household, by ID number. */
    granteeIdNumber: idNumberSchema.optional(),
    endsOn: z.iso.date({ error: 'validation.delegation.endsOn' }),
  })
  .refine((input) => (input.granteeResidentId === undefined) !== (input.granteeIdNumber === undefined), {
    error: 'validation.delegation.grantee',
    path: ['granteeIdNumber'],
  });

/**
 * 委托: a resident lets a family member act for them in one service. The
 * grantee then passes the grant's id as `delegationId` to that service's
 * procedures (residentDataProcedure resolves it). Only residents themselves
 * give, see and revoke delegations.
 */
export const delegationRouter = router({
  candidates: residentProcedure.query(({ ctx }) => delegationCandidates(ctx, ctx.session.residentId)),
  grant: residentProcedure
    .input(grantInput)
    .mutation(({ ctx, input }) => grantDelegation(ctx, ctx.session.residentId, input)),
  given: residentProcedure.query(({ ctx }) => givenDelegations(ctx, ctx.session.residentId)),
  received: residentProcedure.query(({ ctx }) => receivedDelegations(ctx, ctx.session.residentId)),
  revoke: residentProcedure
    .input(z.object({ delegationId: z.uuid({ error: 'validation.delegationId' }) }))
    .mutation(({ ctx, input }) => revokeDelegation(ctx, ctx.session.residentId, input.delegationId)),
});
