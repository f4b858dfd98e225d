/** Sample cards and barcodes for training practice (and the e2e suite): made-up people with valid numbers. */
import type { Parent } from '../../domain/types';
import { idBirthDate, idSex, withCheckChar } from '../../domain/idnumber';

type Card = Omit<Parent, 'chip'>;

/** A Han Chinese resident-ID holder: the check character is computed, birth date and sex are read from the number. */
function resident(first17: string, name: string, card: Pick<Card, 'address' | 'issuingAuthority' | 'validFrom' | 'validTo'>): Card {
  const docNumber = withCheckChar(first17)!;
  return { name, sex: idSex(docNumber)!, docType: 'resident_id', docNumber, nationality: 'CHN', ethnicity: '01', birthDate: idBirthDate(docNumber)!, ...card };
}

export const SAMPLE_MOTHER = resident('33030219950315002', '林晓雨', { address: '浙江省温州市鹿城区五马街道解放街12号', issuingAuthority: '温州市公安局鹿城分局', validFrom: '2015-06-01', validTo: '2035-06-01' });
export const SAMPLE_FATHER = resident('33038119930712001', '陈志远', { address: '浙江省温州市瑞安市安阳街道万松路8号', issuingAuthority: '瑞安市公安局', validFrom: '2013-09-01', validTo: '2033-09-01' });

export const SAMPLE_WRISTBAND = 'ZY2026031401';
export const SAMPLE_BATCH_HEPB = 'H202501A07';
export const SAMPLE_BATCH_BCG = 'B202502C11';
