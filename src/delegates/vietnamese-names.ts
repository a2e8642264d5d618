import type { Random } from './random.ts';

/**
 * Vietnamese full names for demo data: family name, middle name(s), given name, with
 * family names weighted roughly by their share of the population and middle/given names
 * consistent with the person's gender.
 */
export type Gender = 'male' | 'female';

const familyNames: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 4], ['Huỳnh', 3], ['Phan', 4.5],
  ['Vũ', 2.5], ['Võ', 2.5], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3],
  ['Dương', 1], ['Lý', 0.5], ['Đinh', 0.8], ['Trịnh', 0.6], ['Mai', 0.5], ['Đào', 0.5], ['Lương', 0.4], ['Tạ', 0.3],
];

const middleNames: Readonly<Record<Gender, readonly (readonly [string, number])[]>> = {
  male: [['Văn', 30], ['Đức', 10], ['Minh', 10], ['Hữu', 8], ['Quốc', 8], ['Thanh', 6], ['Công', 6], ['Xuân', 5], ['Quang', 5], ['Đình', 5], ['Ngọc', 3], ['Anh', 3], ['Tiến', 3]],
  female: [['Thị', 40], ['Ngọc', 10], ['Thu', 8], ['Thanh', 7], ['Minh', 5], ['Kim', 5], ['Hồng', 5], ['Phương', 4], ['Bích', 3], ['Diệu', 2], ['Mỹ', 3]],
};

/** Second middle names, for four-syllable names (e.g. Võ Thị Ngọc Thủy). */
const secondMiddle: Readonly<Record<Gender, readonly string[]>> = {
  male: ['Minh', 'Quốc', 'Thanh', 'Hoàng', 'Trung', 'Anh'],
  female: ['Ngọc', 'Thu', 'Thanh', 'Kim', 'Hồng', 'Mai', 'Bảo'],
};

const givenNames: Readonly<Record<Gender, readonly string[]>> = {
  male: [
    'Hùng', 'Dũng', 'Tuấn', 'Hải', 'Long', 'Nam', 'Sơn', 'Thắng', 'Trung', 'Hiếu', 'Phúc', 'Quân', 'Khánh', 'Bình',
    'Cường', 'Đạt', 'Huy', 'Kiên', 'Lâm', 'Thành', 'Tùng', 'Vinh', 'Toàn', 'Tâm', 'Phong', 'Nghĩa', 'Lợi', 'Thịnh',
    'Hòa', 'Tài', 'Trí', 'Việt', 'Khoa', 'Đông', 'Chiến', 'Hưng', 'Lộc', 'Thuận', 'Quý', 'Tú',
  ],
  female: [
    'Lan', 'Hương', 'Hoa', 'Mai', 'Thảo', 'Trang', 'Hằng', 'Nga', 'Hạnh', 'Linh', 'Phương', 'Thủy', 'Yến', 'Nhung',
    'Huyền', 'Dung', 'Loan', 'Oanh', 'Vân', 'Hà', 'Ánh', 'Chi', 'Giang', 'Hiền', 'Liên', 'Ngân', 'Quyên', 'Tuyết',
    'Xuân', 'Duyên', 'Thư', 'Nhi', 'Trâm', 'Uyên', 'Hòa', 'Lệ', 'Diệp', 'Thoa',
  ],
};

/** One full name, NFC. Four syllables about one time in eight. */
export function vietnameseName(random: Random, gender: Gender): string {
  const parts = [random.weighted(familyNames), random.weighted(middleNames[gender])];
  // Four-syllable men's names rarely start with Văn; women's often with Thị (Võ Thị Ngọc Thủy).
  if (random.next() < 0.125 && parts[1] !== 'Văn') {
    const second = random.pick(secondMiddle[gender].filter((m) => m !== parts[1]));
    parts.push(second);
  }
  parts.push(random.pick(givenNames[gender].filter((g) => !parts.includes(g))));
  return parts.join(' ').normalize('NFC');
}
