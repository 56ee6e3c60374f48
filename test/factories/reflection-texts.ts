/**
 * Texts for readings and reflections, shared by the tests of the reading rules, the review inbox and its
 * browser journey: a reading, a learner's own words (about 120 distinct Chinese characters), a near copy
 * of them (what the copy check must flag) and someone else's own words (what it must not).
 */
export const READING = `# 党支部书记的职责

支部书记是支部工作的第一责任人，要抓好班子、带好队伍，组织党员学习，按时召开组织生活会，
做好发展党员和党员教育管理工作，密切联系服务师生，及时反映党员群众的意见和诉求。`;

export const OWN_WORDS = `担任支部书记一年来，我最大的体会是要把支部工作和业务工作结合起来。过去组织生活常常流于形式，
大家照本宣科地读文件，发言也多是套话。今年我们改为每次围绕一个教学中的真实问题展开讨论，请青年教师先讲自己的困惑，
再由老党员分享经验，最后形成一两条可以落实的改进措施。几次下来，党员参加的积极性明显提高，支部的凝聚力也增强了。`;

export const COPIED = OWN_WORDS.replace('一年来', '两年来').replace('明显提高', '大大提高');

export const OTHER_WORDS = `学生党支部的工作对象年轻，思想活跃。我们把主题党日搬到实验室和社区，组织党员为低年级同学答疑，
到社区开展科普服务。支部还建立了党员联系宿舍制度，每名党员联系两到三间宿舍，及时了解同学们的学习生活困难，
帮助解决实际问题。一个学期下来，同学们对党组织的认同感明显增强，递交入党申请书的人数比去年增加了一倍。`;
