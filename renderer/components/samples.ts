/** Sample cards and barcodes for training practice (and the e2e suite): made-up people with valid numbers. */
import type { Parent } from '../../domain/types';
import { withCheckChar } from '../../domain/idnumber';

export const SAMPLE_MOTHER: Omit<Parent, 'chip'> = {
  name: '林晓雨',
  sex: '2',
  docType: 'resident_id',
  docNumber: withCheckChar('33030219950315002')!,
  nationality: 'CHN',
  ethnicity: '01',
  birthDate: '1995-03-15',
  address: '浙江省温州市鹿城区五马街道解放街12号',
  issuingAuthority: '温州市公安局鹿城分局',
  validFrom: '2015-06-01',
  validTo: '2035-06-01',
};

export const SAMPLE_FATHER: Omit<Parent, 'chip'> = {
  name: '陈志远',
  sex: '1',
  docType: 'resident_id',
  docNumber: withCheckChar('33038119930712001')!,
  nationality: 'CHN',
  ethnicity: '01',
  birthDate: '1993-07-12',
  address: '浙江省温州市瑞安市安阳街道万松路8号',
  issuingAuthority: '瑞安市公安局',
  validFrom: '2013-09-01',
  validTo: '2033-09-01',
};

export const SAMPLE_WRISTBAND = 'ZY2026031401';
export const SAMPLE_BATCH_HEPB = 'H202501A07';
export const SAMPLE_BATCH_BCG = 'B202502C11';
