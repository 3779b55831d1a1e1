import { accessLogRouter } from './routers/access-log/router.js';
import { assistRouter } from './routers/assist/router.js';
import { authRouter } from './routers/auth/router.js';
import { cardRouter } from './routers/card/router.js';
import { enrollmentRouter } from './routers/enrollment/router.js';
import { delegationRouter } from './routers/delegation/router.js';
import { eldercareRouter } from './routers/eldercare/router.js';
import { healthRouter } from './routers/health/router.js';
import { messagesRouter } from './routers/messages/router.js';
import { router } from './trpc.js';

export const appRouter = router({
  auth: authRouter,
  assist: assistRouter,
  accessLog: accessLogRouter,
  card: cardRouter,
  health: healthRouter,
  enrollment: enrollmentRouter,
  eldercare: eldercareRouter,
  delegation: delegationRouter,
  messages: messagesRouter,
});

export type AppRouter = typeof appRouter;
