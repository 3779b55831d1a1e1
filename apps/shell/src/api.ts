import { getPortalClient } from '@portal/api-client';

export const api = getPortalClient();
