// Unit tests of every project, in one jest run (each project keeps its own config for `nx test <project>`).
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
};
