/** What a receipt is printed from, and its check: bad input names the field and what was expected. */
import { z } from 'zod';
import { SERVICES, type Service } from '../../domain/codes';
import { RegistrationSchema, ServiceRequestSchema, type Registration, type ServiceRequest } from '../../domain/types';

export interface ReceiptInput {
  registration: Registration;
  requests: ServiceRequest[];
  hospitalName: string;
  clerkName: string;
  training: boolean;
  /** Encoded in the QR code when given; otherwise the QR code carries the bundle id. */
  trackingUrl?: string;
  now: Date;
}

/** Bad input: `field` says where (e.g. `requests[2].registrationId`), the message says what was expected. */
export class ReceiptInputError extends Error {
  constructor(
    public readonly field: string,
    detail: string,
  ) {
    super(`receipt input ${field}: ${detail}`);
    this.name = 'ReceiptInputError';
  }
}

const InputSchema = z.object({
  registration: RegistrationSchema,
  requests: z.array(ServiceRequestSchema).min(1, 'expected at least one service request').max(SERVICES.length),
  hospitalName: z.string().trim().min(1, 'expected the hospital name').max(60),
  clerkName: z.string().trim().min(1, "expected the clerk's name").max(60),
  training: z.boolean(),
  trackingUrl: z.string().url('expected an absolute URL').max(500).optional(),
  now: z.date(),
});

export function checkInput(input: ReceiptInput): ReceiptInput {
  const r = InputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new ReceiptInputError(field || '(root)', issue.message);
  }
  if (Number.isNaN(input.now.getTime())) throw new ReceiptInputError('now', 'expected a valid date');
  const seen = new Set<Service>();
  input.requests.forEach((q, i) => {
    if (q.registrationId !== input.registration.id) {
      throw new ReceiptInputError(`requests[${i}].registrationId`, 'expected the id of the registration being printed');
    }
    if (seen.has(q.service)) throw new ReceiptInputError(`requests[${i}].service`, `"${q.service}" appears twice`);
    seen.add(q.service);
  });
  return input;
}
